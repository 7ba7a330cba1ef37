/**
 * The embed-kind vocabulary, declared once: how the detector found a platform on a page
 * (utils/detect/scan.ts), carried in `found` messages and kept as evidence in tab state
 * (utils/background/tab-state.ts). See ARCHITECTURE.md, "Vocabularies".
 */
export const EMBED_KINDS = ['markup', 'frame', 'script', 'media'] as const;
export type EmbedKind = (typeof EMBED_KINDS)[number];
