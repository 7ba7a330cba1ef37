import { render } from 'preact';
import { Browse } from '@/components/Browse';
import { pageLanguage } from '@/utils/page';

void pageLanguage().then(({ lang, t }) => render(<Browse lang={lang} t={t} />, document.getElementById('app')!));
