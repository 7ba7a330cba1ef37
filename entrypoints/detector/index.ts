import { runDetector } from '@/utils/detect/content';

// A bare script, not a WXT content script: WXT's content-script runtime (ContentScriptContext, its
// location watcher and the "started" postMessage every page can see) costs more than the detector's own
// work, and no polyfill either. Not in the manifest: the background registers it with
// scripting.registerContentScripts only while the user's regions have something to watch
// (utils/detect/register-detector.ts).
export default defineUnlistedScript(() => {
  void runDetector();
});
