/**
 * Region gating: the detector content script is registered only while the user's regions have something
 * to watch, so a page where there is nothing to find pays nothing (README "How it is built"). The decision
 * is `detectorRegistration` in utils/detect/registration.ts; the effect, queued so the id is never
 * registered twice, is `syncDetector` in utils/detect/register-detector.ts.
 */
import { syncDetector } from '../../detect/register-detector';
import { defineFeature } from '../host';

export default defineFeature({
  id: 'detector-registration',
  setup(bg) {
    // Fires when the worker starts and whenever settings or the dataset change.
    bg.onContextChange((ctx) => void syncDetector(ctx));
  },
});
