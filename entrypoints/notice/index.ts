import { startNoticeUi } from '@/utils/notice/mount';

// A bare script, not a WXT content script: WXT's content-script runtime (its ContentScriptContext, location
// watcher, and the "started" postMessage and document event every page can see and forge) is not needed here;
// mount.tsx keeps one UI per frame and replaces one whose extension was reloaded. Not in the manifest: the
// background injects this only into frames that have something to show (utils/background/notice-ui.ts).
export default defineUnlistedScript(() => {
  void startNoticeUi();
});
