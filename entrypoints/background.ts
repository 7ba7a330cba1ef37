import { startBackground } from '@/utils/background/host';
import { FEATURES } from '@/utils/background/features';

// Thin: every feature registers its own listeners, synchronously, so that the event that woke the
// worker reaches them (ARCHITECTURE.md "Background features").
export default defineBackground(() => {
  startBackground(FEATURES);
});
