// @vitest-environment happy-dom
/**
 * The detector's life in one frame (utils/detect/content.ts): where its signatures come from, that it runs
 * once per document, that it says nothing until something is found, and what it says then.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bundledDataset } from '@/utils/dataset/store';
import { DETECTOR_MARK, runDetector } from '@/utils/detect/content';
import type { Detector } from '@/utils/detect/detector';
import { SIGNATURES_KEY } from '@/utils/detect/signature-store';
import { BAKED_SIGNATURES, buildSignaturePack } from '@/utils/detect/signatures';

const platforms = bundledDataset().platforms;
const bluesky = buildSignaturePack(platforms.filter((p) => p.id === 'bluesky'))!;
const g = globalThis as unknown as Record<string, unknown>;
let detector: Detector | null = null;
/** happy-dom's own handle on the window: the page's URL, as a frame would be at it. */
const setUrl = (url: string) => (window as unknown as { happyDOM: { setURL(u: string): void } }).happyDOM.setURL(url);

interface FakeApi {
  runtime: { id?: string; sendMessage: ReturnType<typeof vi.fn> };
  storage: { local: { get: ReturnType<typeof vi.fn> } };
}
function fakeApi(stored: Record<string, unknown> = {}): FakeApi {
  return {
    runtime: { id: 'banlens', sendMessage: vi.fn(async () => null) },
    storage: { local: { get: vi.fn(async (key: string) => (key in stored ? { [key]: stored[key] } : {})) } },
  };
}

beforeEach(() => {
  for (const key of [DETECTOR_MARK, BAKED_SIGNATURES, '__banlensEmbedRegistry', 'chrome', 'browser']) delete g[key];
  document.body.innerHTML = '';
  setUrl('https://news.example/article');
});
afterEach(() => {
  detector?.stop();
  detector = null;
  for (const key of ['chrome', 'browser']) delete g[key];
});

const messages = (api: FakeApi) => api.runtime.sendMessage.mock.calls.map(([m]) => (m as { type: string }).type);

describe('runDetector', () => {
  it('with baked signatures: scans without touching an extension API until it finds something, then announces the document and reports', async () => {
    g[BAKED_SIGNATURES] = [{ markup: bluesky.markup, hosts: bluesky.hosts }];
    const api = fakeApi();
    g.chrome = api;
    document.body.innerHTML = '<blockquote class="bluesky-embed"></blockquote>';
    detector = await runDetector(document);
    expect(detector).not.toBeNull();
    expect(api.storage.local.get).not.toHaveBeenCalled();
    await vi.waitFor(() => expect(messages(api)).toEqual(['signatures', 'found']));
    expect(api.runtime.sendMessage).toHaveBeenLastCalledWith({ type: 'found', found: { bluesky: { markup: 1 } } });
  });

  it('says nothing at all on a page with nothing to find', async () => {
    g[BAKED_SIGNATURES] = [{ markup: bluesky.markup, hosts: bluesky.hosts }];
    const api = fakeApi();
    g.chrome = api;
    document.body.innerHTML = '<p>nothing here</p><img src="https://www.youtube.com/a.jpg">';
    detector = await runDetector(document);
    await new Promise((r) => setTimeout(r, 30));
    expect(api.runtime.sendMessage).not.toHaveBeenCalled();
  });

  it('runs once per document', async () => {
    g[BAKED_SIGNATURES] = [{ markup: bluesky.markup, hosts: bluesky.hosts }];
    detector = await runDetector(document);
    expect(detector).not.toBeNull();
    expect(await runDetector(document)).toBeNull();
  });

  it('with an imported dataset: reads the signatures from storage.local, in Firefox (browser) or Chrome (chrome)', async () => {
    const api = fakeApi({ [SIGNATURES_KEY]: bluesky });
    g.browser = api;
    g.chrome = { runtime: {} };
    document.body.innerHTML = '<blockquote class="bluesky-embed"></blockquote>';
    detector = await runDetector(document);
    expect(api.storage.local.get).toHaveBeenCalledWith(SIGNATURES_KEY);
    await vi.waitFor(() => expect(messages(api)).toEqual(['signatures', 'found']));
  });

  it('does nothing without signatures: none stored, a malformed pack, a failing storage, or no extension API', async () => {
    g.chrome = fakeApi();
    expect(await runDetector(document)).toBeNull();
    delete g[DETECTOR_MARK];
    g.chrome = fakeApi({ [SIGNATURES_KEY]: { selector: 1 } });
    expect(await runDetector(document)).toBeNull();
    delete g[DETECTOR_MARK];
    const failing = fakeApi();
    failing.storage.local.get.mockRejectedValue(new Error('storage gone'));
    g.chrome = failing;
    expect(await runDetector(document)).toBeNull();
    delete g[DETECTOR_MARK];
    delete g.chrome;
    g[BAKED_SIGNATURES] = [];
    expect(await runDetector(document)).toBeNull();
  });

  it('a top frame that is itself a watched platform\'s site announces at once, before finding anything', async () => {
    setUrl('https://bsky.app/profile/alice');
    g[BAKED_SIGNATURES] = [{ markup: bluesky.markup, hosts: bluesky.hosts }];
    const api = fakeApi();
    g.chrome = api;
    detector = await runDetector(document);
    await vi.waitFor(() => expect(messages(api)).toEqual(['signatures']));
  });

  it('an orphaned script (the extension was reloaded) stops quietly instead of reporting', async () => {
    g[BAKED_SIGNATURES] = [{ markup: bluesky.markup, hosts: bluesky.hosts }];
    const api = fakeApi();
    api.runtime.id = undefined;
    g.chrome = api;
    document.body.innerHTML = '<blockquote class="bluesky-embed"></blockquote>';
    detector = await runDetector(document);
    const later = document.createElement('blockquote');
    later.className = 'bluesky-embed';
    document.body.append(later);
    await new Promise((r) => setTimeout(r, 150));
    detector?.flush();
    expect(api.runtime.sendMessage).not.toHaveBeenCalled();
  });

  it('a report the background cannot take does not stop later reports', async () => {
    g[BAKED_SIGNATURES] = [{ markup: bluesky.markup, hosts: bluesky.hosts }];
    const api = fakeApi();
    api.runtime.sendMessage.mockRejectedValueOnce(new Error('no receiver')).mockRejectedValueOnce(new Error('no receiver'));
    g.chrome = api;
    document.body.innerHTML = '<blockquote class="bluesky-embed"></blockquote>';
    detector = await runDetector(document);
    await vi.waitFor(() => expect(api.runtime.sendMessage).toHaveBeenCalledTimes(2));
    const image = document.createElement('img');
    image.src = 'https://cdn.bsky.app/img/a.jpg';
    document.body.append(image);
    await new Promise((r) => setTimeout(r, 150));
    detector?.flush();
    await vi.waitFor(() => expect(api.runtime.sendMessage).toHaveBeenLastCalledWith({ type: 'found', found: { bluesky: { markup: 1, media: 1 } } }));
  });
});
