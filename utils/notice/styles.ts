/**
 * Notice styles live inside each shadow root, so page CSS cannot reach in and ours cannot leak out.
 * Light unless the page itself is dark (utils/notice/scheme.ts sets .bl-dark on the mount point): a dark
 * label on a white article would look like the site's own dark-mode bug.
 */
export const NOTICE_CSS = `
:host { all: initial; display: block; contain: layout style; }
.bl-root { display: block; }
.bl-card { font: 13px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Nastaliq Urdu", sans-serif;
  color: #1d1d1f; background: #fff7e6; border: 1px solid #c08a1e; border-radius: 8px; padding: 6px 10px; margin: 4px 0 8px;
  box-shadow: 0 1px 2px rgba(0,0,0,.08); max-width: 640px; box-sizing: border-box; text-align: start; position: relative; }
.bl-card[dir="rtl"], :host([dir="rtl"]) .bl-card { direction: rtl; }
.bl-card:lang(fa), .bl-card:lang(ar) { font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "Vazirmatn", "Noto Naskh Arabic UI", "Noto Naskh Arabic", "Noto Sans Arabic", Tahoma, sans-serif; }
.bl-card:lang(bn) { font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans Bengali UI", "Noto Sans Bengali", Vrinda, "Bangla Sangam MN", sans-serif; line-height: 1.75; }
.bl-card:lang(my) { font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans Myanmar UI", "Noto Sans Myanmar", Padauk, "Myanmar Text", "Myanmar Sangam MN", sans-serif; line-height: 1.95; }
.bl-card:lang(zh) { font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "Source Han Sans SC", sans-serif; }
/* Nastaliq and Naskh collide at Latin line heights: their marks need the room. */
.bl-card:lang(ur) { line-height: 2.1; font-family: "Noto Nastaliq Urdu", "Jameel Noori Nastaleeq", "Urdu Typesetting", system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Naskh Arabic UI", "Noto Naskh Arabic", Tahoma, sans-serif; }
.bl-card:lang(ar), .bl-card:lang(fa) { line-height: 1.9; }
.bl-history { background: #f1f3f5; border-color: #868e96; }
/* The label's tie to its embed: a notch under its start edge, pointing at the embed below. */
.bl-label { border-end-start-radius: 2px; }
.bl-label::after { content: ""; position: absolute; inset-block-start: 100%; inset-inline-start: 14px; border: 7px solid transparent; border-block-start-color: #c08a1e; border-block-end-width: 0; }
.bl-history.bl-label::after { border-block-start-color: #868e96; }
.bl-banner { position: fixed; inset-block-start: 8px; inset-inline: 8px; margin: 0 auto; max-width: 720px; z-index: 2147483647; }
.bl-row { display: flex; align-items: center; gap: 4px 8px; flex-wrap: wrap; }
.bl-mark { display: inline-flex; align-items: center; gap: 4px; font-size: 11.5px; font-weight: 700; color: #1d5c87; letter-spacing: .01em; }
.bl-logo { display: block; flex: none; }
.bl-headline { flex: 1 1 14em; font-weight: 600; }
.bl-chip { font-size: 11.5px; font-weight: 600; background: #fff1cc; color: #6b4400; border-radius: 999px; padding: 0 8px; white-space: nowrap; }
button { font: inherit; line-height: 1.3; color: inherit; background: #fff; border: 1px solid #8c6d1f; border-radius: 6px; padding: 2px 10px; cursor: pointer; }
button:focus-visible, a:focus-visible { outline: 3px solid #1a73e8; outline-offset: 2px; }
.bl-close { border: none; background: transparent; font-size: 18px; line-height: 1; padding: 2px 6px; }
.bl-panel { margin-top: 8px; border-top: 1px solid #e5c77a; padding-top: 6px; max-height: 60vh; overflow: auto; }
.bl-sub { font-size: 13px; margin: 8px 0 4px; line-height: inherit; }
.bl-summary { margin: 4px 0; }
.bl-facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 10px; margin: 6px 0; }
.bl-facts dt { font-weight: 600; }
.bl-facts dd { margin: 0; }
.bl-date { white-space: nowrap; }
.bl-kind { font-weight: 600; }
.bl-muted, .bl-asof { color: #52585e; }
.bl-stale { color: #8a1c1c; font-weight: 600; }
.bl-caveat { font-style: italic; }
.bl-sources { margin: 4px 0; padding-inline-start: 18px; }
.bl-sources a { color: #0b57d0; }
.bl-actions { display: flex; gap: 8px; margin-top: 8px; flex-wrap: wrap; }
@media (prefers-reduced-motion: no-preference) { .bl-panel { animation: bl-in .15s ease-out; } @keyframes bl-in { from { opacity: 0; } to { opacity: 1; } } }
.bl-dark .bl-card { color: #f1f3f5; background: #2b2414; border-color: #a07a22; box-shadow: none; }
.bl-dark .bl-label::after { border-block-start-color: #a07a22; }
.bl-dark .bl-history { background: #25282c; border-color: #5c636a; }
.bl-dark .bl-history.bl-label::after { border-block-start-color: #5c636a; }
.bl-dark .bl-mark { color: #8fc3ea; }
.bl-dark .bl-chip { background: #46381a; color: #ffe1a3; }
.bl-dark button { background: #3a3222; border-color: #c9a54a; }
.bl-dark .bl-panel { border-top-color: #6b5520; }
.bl-dark .bl-muted, .bl-dark .bl-asof { color: #b8bcc0; }
.bl-dark .bl-sources a { color: #8ab4f8; }
.bl-dark .bl-stale { color: #ff9b9b; }
`;
