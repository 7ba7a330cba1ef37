import { render } from 'preact';
import { Options } from '@/components/Options';
import { pageLanguage } from '@/utils/page';

void pageLanguage().then(({ lang, t }) => render(<Options lang={lang} t={t} />, document.getElementById('app')!));
