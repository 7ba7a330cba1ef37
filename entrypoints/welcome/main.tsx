import { render } from 'preact';
import { useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { Welcome } from '@/components/Welcome';
import { updateHost } from '@/utils/dataset/channel';
import type { Lang, T } from '@/utils/i18n';
import { pageLanguage } from '@/utils/page';
import { resolveRegions } from '@/utils/region';
import { getSettings, updateSettings, type Settings } from '@/utils/settings';

function App({ lang, t, initial }: { lang: Lang; t: T; initial: Settings }) {
  const [settings, setSettings] = useState(initial);
  return (
    <Welcome
      region={resolveRegions(settings.regions)}
      settings={settings}
      save={async (patch) => setSettings(await updateSettings(patch))}
      updateHost={updateHost()}
      openOptions={() => void browser.runtime.openOptionsPage()}
      close={() => window.close()}
      lang={lang}
      t={t}
    />
  );
}

void Promise.all([pageLanguage(), getSettings()]).then(([{ lang, t }, settings]) => {
  document.title = `${t('welcomeTitle')} · BanLens`;
  render(<App lang={lang} t={t} initial={settings} />, document.getElementById('app')!);
});
