/**
 * The one runtime.onMessage handler. Content scripts and extension pages are told apart by the sender's
 * URL (content scripts report the page's URL, never ours), and every message is parsed before use.
 */
import browser, { type Runtime } from 'webextension-polyfill';
import { ContentMessage, PageMessage } from '../messages';
import { decisionContext, hasAnyRestriction } from './context';
import { addEvidence, FAILURE_KEY, markDirty, peekTabState, tabState } from './tab-state';
import { scheduleBadge } from './badge';
import { markBannerShown, maybeInjectNotices, noticeContext } from './notices';
import { matchUrl, hostOfUrl } from '../dataset/matcher';
import { updateSettings, siteKey } from '../settings';
import { explainPlatform, type ExplainedPlatform } from '../explain';
import { regionName, dirOf } from '../i18n';
import type { MainFrameFailure } from './requests';
import type { Evidence } from './tab-state';

const EXTENSION_ORIGIN = () => browser.runtime.getURL('/');

export interface RouterDeps {
  runProbes(): Promise<unknown>;
}

export async function handleMessage(raw: unknown, sender: Runtime.MessageSender, deps: RouterDeps): Promise<unknown> {
  if (sender.id !== browser.runtime.id) return undefined;
  const fromExtensionPage = typeof sender.url === 'string' && sender.url.startsWith(EXTENSION_ORIGIN());
  if (fromExtensionPage) {
    const msg = PageMessage.safeParse(raw);
    return msg.success ? handlePageMessage(msg.data, deps) : undefined;
  }
  const msg = ContentMessage.safeParse(raw);
  const tabId = sender.tab?.id;
  const frameId = sender.frameId ?? 0;
  if (!msg.success || tabId === undefined || tabId < 0) return undefined;
  return handleContentMessage(msg.data, tabId, frameId, sender.url ?? '');
}

async function handleContentMessage(msg: ContentMessage, tabId: number, frameId: number, frameUrl: string): Promise<unknown> {
  const ctx = await decisionContext();
  const s = await tabState(tabId);
  switch (msg.type) {
    case 'signatures': {
      // A new document in this frame: any notice UI injected into the previous one is gone.
      if (s.noticeFrames.includes(frameId)) {
        s.noticeFrames = s.noticeFrames.filter((f) => f !== frameId);
        markDirty(tabId);
      }
      if (frameId === 0) {
        s.docAt = Date.now();
        markDirty(tabId);
        const match = matchUrl(ctx.hostIndex, frameUrl);
        s.site ??= hostOfUrl(frameUrl);
        if (match && ctx.watched.has(match.platform)) {
          s.page = match.platform;
          addEvidence(s, match.platform, 'page', 0);
          markDirty(tabId);
          scheduleBadge(tabId);
          void maybeInjectNotices(tabId, 0);
        }
      }
      return ctx.pack;
    }
    case 'found': {
      let changed = false;
      for (const [platform, kinds] of Object.entries(msg.found)) {
        // Only platforms we asked the frame to look for; anything else is noise or a forgery.
        if (!ctx.watched.has(platform)) continue;
        for (const kind of Object.keys(kinds)) changed = addEvidence(s, platform, kind as Evidence, frameId) || changed;
      }
      if (changed) {
        markDirty(tabId);
        scheduleBadge(tabId);
        await maybeInjectNotices(tabId, frameId);
      }
      return { ok: true };
    }
    case 'notice:context':
      return noticeContext(tabId, frameId);
    case 'notice:mute-site': {
      if (!s.site) return { ok: false };
      const site = siteKey(s.site);
      await updateSettings((st) => ({ ...st, notices: { ...st.notices, mutedSites: [...new Set([...st.notices.mutedSites, site])] } }));
      return { ok: true };
    }
    case 'notice:banner-dismissed':
      await markBannerShown(msg.platform);
      return { ok: true };
  }
}

export interface PopupState {
  lang: string;
  dir: 'ltr' | 'rtl';
  regions: { code: string; name: string }[];
  regionSource: string;
  site: string | null;
  siteMuted: boolean;
  noticesMode: string;
  noticesEnabled: boolean;
  restrictedHere: number;
  platforms: ExplainedPlatform[];
  reach: { host: string; platform: string; outcomes: Record<string, number>; lastError: string | null }[];
  dataset: { version: string; asOf: string; researchedThrough: string; source: string };
}

async function handlePageMessage(msg: PageMessage, deps: RouterDeps): Promise<unknown> {
  const ctx = await decisionContext();
  switch (msg.type) {
    case 'popup:state': {
      const s = peekTabState(msg.tabId) ?? (await tabState(msg.tabId));
      const opts = { lang: ctx.lang, t: ctx.t, today: ctx.today, includeLifted: true };
      // Every platform found on the tab that has any record in the user's regions, in force first.
      const platforms = Object.keys(s.platforms)
        .map((p) => explainPlatform(ctx.dataset, p, ctx.region.regions, opts))
        .filter((p): p is ExplainedPlatform => p !== null && p.restrictions.length > 0)
        .sort((a, b) => Number(b.active) - Number(a.active));
      const state: PopupState = {
        lang: ctx.lang,
        dir: dirOf(ctx.lang),
        regions: ctx.region.regions.map((code) => ({ code, name: regionName(code, ctx.lang) })),
        regionSource: ctx.region.source,
        site: s.site,
        siteMuted: s.site ? ctx.settings.notices.mutedSites.includes(siteKey(s.site)) : false,
        noticesMode: ctx.settings.notices.mode,
        noticesEnabled: ctx.settings.notices.enabled,
        restrictedHere: ctx.restrictedNow.size,
        platforms,
        reach: Object.entries(s.reach).map(([host, r]) => ({ host, platform: r.platform, outcomes: r.outcomes as Record<string, number>, lastError: r.lastError })),
        dataset: { version: ctx.dataset.version, asOf: ctx.dataset.asOf, researchedThrough: ctx.dataset.researchedThrough, source: ctx.datasetSource },
      };
      return state;
    }
    case 'popup:set-site-muted': {
      const s = peekTabState(msg.tabId);
      if (!s?.site) return { ok: false };
      const site = siteKey(s.site);
      await updateSettings((st) => ({
        ...st,
        notices: { ...st.notices, mutedSites: msg.muted ? [...new Set([...st.notices.mutedSites, site])] : st.notices.mutedSites.filter((x) => x !== site) },
      }));
      return { ok: true };
    }
    case 'blocked:state': {
      const failure = (await browser.storage.session.get(FAILURE_KEY(msg.tabId)))[FAILURE_KEY(msg.tabId)] as MainFrameFailure | undefined;
      if (!failure) return null;
      const explained = explainPlatform(ctx.dataset, failure.platform, ctx.region.regions, { lang: ctx.lang, t: ctx.t, today: ctx.today, includeLifted: false });
      return { failure, explained, lang: ctx.lang, dir: dirOf(ctx.lang) };
    }
    case 'probe:run':
      return deps.runProbes();
    case 'region:state':
      return { region: ctx.region, anyRestriction: hasAnyRestriction(ctx), names: ctx.region.regions.map((c) => regionName(c, ctx.lang)) };
  }
}

