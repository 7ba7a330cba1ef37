/** The first-run page opens once, on install, and never on an update (features/welcome.ts). */
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import welcome, { opensWelcome, WELCOME_PAGE } from '@/utils/background/features/welcome';
import type { Background } from '@/utils/background/host';

describe('the welcome feature', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    welcome.setup({} as Background);
  });

  it.each([
    ['install', true],
    ['update', false],
    ['browser_update', false],
    ['chrome_update', false],
    ['shared_module_update', false],
  ])('on %s: opens the page %s', (reason, opens) => {
    expect(opensWelcome({ reason })).toBe(opens);
  });

  it('opens welcome.html in a new tab when the extension is installed', async () => {
    await fakeBrowser.runtime.onInstalled.trigger({ reason: 'install', temporary: false });
    await new Promise((r) => setTimeout(r, 0));
    const urls = (await fakeBrowser.tabs.query({})).map((t) => t.url).filter(Boolean);
    expect(urls).toEqual([fakeBrowser.runtime.getURL(WELCOME_PAGE)]);
  });

  it('opens nothing on an update', async () => {
    await fakeBrowser.runtime.onInstalled.trigger({ reason: 'update', previousVersion: '0.0.9', temporary: false });
    await new Promise((r) => setTimeout(r, 0));
    expect((await fakeBrowser.tabs.query({})).map((t) => t.url).filter(Boolean)).toEqual([]);
  });
});
