import { startNoticeUi } from '@/utils/notice/mount';

// Not in the manifest: the background injects this only into frames that have something to show.
export default defineContentScript({
  registration: 'runtime',
  matches: ['<all_urls>'],
  async main(ctx) {
    const ui = await startNoticeUi();
    ctx.onInvalidated(() => ui?.stop());
  },
});
