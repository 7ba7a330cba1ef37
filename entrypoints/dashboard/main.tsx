import { render } from 'preact';
import { Dashboard } from '@/components/Dashboard';
import { pageLanguage } from '@/utils/page';

void pageLanguage().then(({ lang, t }) => {
  document.title = `${t('dashTitle')} · BanLens`;
  render(<Dashboard lang={lang} t={t} />, document.getElementById('app')!);
});
