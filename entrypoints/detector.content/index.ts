import { browser } from 'wxt/browser';
import { startDetector } from '@/utils/detect/detector';
import { ask } from '@/utils/protocol';

// Every frame runs this, so it carries no polyfill and no dataset: it asks the background once for the
// signatures of platforms restricted here, and does nothing more when there are none.
export default defineContentScript({
  matches: ['<all_urls>'],
  allFrames: true,
  matchAboutBlank: true,
  runAt: 'document_idle',
  async main(ctx) {
    const pack = await ask(browser.runtime, { type: 'signatures' }).catch(() => null);
    if (!pack || typeof pack.selector !== 'string' || ctx.isInvalid) return;
    const detector = startDetector(document, pack, {
      report: (found) => void ask(browser.runtime, { type: 'found', found }).catch(() => {}),
    });
    ctx.onInvalidated(() => detector.stop());
  },
});
