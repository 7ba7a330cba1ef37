/**
 * Site and platform mutes: notices can be turned off per site (from a notice or the popup) and per
 * platform (options page). The decisions are pure functions of the settings.
 */
import { siteKey, updateSettings, type Settings } from '../../settings';
import type { DecisionContext } from '../context';
import { defineFeature } from '../host';

/** Whether the user muted notices on this site or about this platform. */
export function isMuted(notices: Pick<Settings['notices'], 'mutedSites' | 'mutedPlatforms'>, site: string | null, platform: string): boolean {
  return (site !== null && notices.mutedSites.includes(siteKey(site))) || notices.mutedPlatforms.includes(platform);
}

/** Whether the user's settings let an in-page notice about this platform appear on this site. */
export function noticeAllowed(ctx: Pick<DecisionContext, 'settings' | 'restrictedNow' | 'watched' | 'observedFailing'>, site: string | null, platform: string): boolean {
  const n = ctx.settings.notices;
  if (!n.enabled || n.mode !== 'full') return false;
  if (isMuted(n, site, platform)) return false;
  return ctx.restrictedNow.has(platform) || ctx.observedFailing.has(platform) || (n.showLifted && ctx.watched.has(platform));
}

/** The settings with this site muted or unmuted. */
export function withSiteMuted(settings: Settings, site: string, muted: boolean): Settings {
  const key = siteKey(site);
  const mutedSites = muted ? [...new Set([...settings.notices.mutedSites, key])] : settings.notices.mutedSites.filter((s) => s !== key);
  return { ...settings, notices: { ...settings.notices, mutedSites } };
}

export default defineFeature({
  id: 'mutes',
  setup(bg) {
    bg.onContent('notice:mute-site', async (_request, from) => {
      const { site } = await bg.tabs.read(from.tabId);
      if (!site) return { ok: false };
      await updateSettings((s) => withSiteMuted(s, site, true));
      return { ok: true };
    });
    bg.onPage('popup:set-site-muted', async ({ tabId, muted }) => {
      const { site } = await bg.tabs.read(tabId);
      if (!site) return { ok: false };
      await updateSettings((s) => withSiteMuted(s, site, muted));
      return { ok: true };
    });
  },
});
