/**
 * The first-run page, opened once on install: what BanLens does, the region it inferred and how, the
 * privacy summary, and the opt-in choices, both off until the user turns them on.
 */
import type { MessageKey, Lang, T } from '@/utils/i18n';
import { isolate, regionName } from '@/utils/i18n';
import type { RegionChoice } from '@/utils/region';
import type { Settings } from '@/utils/settings';
import { Brand } from './Brand';
import { DatasetUpdatesChoice } from './DatasetUpdatePanel';
import { ProbeSettings } from './ProbeSettings';
import { PrivacySummary } from './PrivacySummary';

export interface WelcomeProps {
  region: RegionChoice;
  settings: Settings;
  save: (patch: (s: Settings) => Settings) => Promise<void>;
  /** The host the dataset updates would come from (utils/dataset/channel.ts updateHost); null: this build has no channel. */
  updateHost: string | null;
  openOptions: () => void;
  close: () => void;
  lang: Lang;
  t: T;
}

/** "We think you are in Pakistan (from your time zone, Asia/Karachi)", or that no region could be inferred. */
export function regionGuess(region: RegionChoice, lang: Lang, t: T): { guess: string; how: string } {
  const names = region.regions.map((c) => regionName(c, lang)).join(', ');
  const guess = region.regions.length ? t('welcomeRegionGuess', isolate(names, lang)) : t('regionUnknown');
  const how = t(`regionHow_${region.source}` as MessageKey, isolate(region.timeZone ?? '', lang));
  return { guess, how };
}

export function Welcome({ region, settings, save, updateHost, openOptions, close, lang, t }: WelcomeProps) {
  const { guess, how } = regionGuess(region, lang, t);
  return (
    <div class="stack welcome">
      <Brand />
      <h1>{t('welcomeTitle')}</h1>
      <ul class="welcome-what">
        <li>{t('welcomeWhat1')}</li>
        <li>{t('welcomeWhat2')}</li>
        <li>{t('welcomeWhat3')}</li>
      </ul>

      <section class="card" aria-labelledby="w-region">
        <h2 id="w-region">{t('welcomeRegionHeading')}</h2>
        <p data-testid="welcome-region" data-region={region.regions.join(' ')}>
          <strong>{guess}</strong> <span class="muted">{how}</span>
        </p>
        <p>
          <button type="button" onClick={openOptions}>
            {t('welcomeChangeRegion')}
          </button>
        </p>
      </section>

      <PrivacySummary t={t} id="w-privacy" heading="welcomePrivacyHeading" />

      <section class="card" aria-labelledby="w-choices">
        <h2 id="w-choices">{t('welcomeChoicesHeading')}</h2>
        <p class="muted">{t('welcomeChoicesNote')}</p>
        <DatasetUpdatesChoice host={updateHost} settings={settings} save={save} lang={lang} t={t} />
        <h3>{t('dashProbeHeading')}</h3>
        <ProbeSettings settings={settings} save={save} onProbed={() => {}} lang={lang} t={t} />
      </section>

      <p class="row">
        <button type="button" class="primary" onClick={close}>
          {t('welcomeDone')}
        </button>
        <button type="button" onClick={openOptions}>
          {t('openOptions')}
        </button>
      </p>
    </div>
  );
}
