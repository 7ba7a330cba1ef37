/** Notice styles live inside each shadow root, so page CSS cannot reach in and ours cannot leak out. */
export const NOTICE_CSS = `
:host { all: initial; display: block; contain: layout style; }
.bl-card { font: 13px/1.45 system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Nastaliq Urdu", sans-serif;
  color: #1d1d1f; background: #fff7e6; border: 1px solid #d9a441; border-radius: 8px; padding: 6px 10px; margin: 4px 0;
  box-shadow: 0 1px 2px rgba(0,0,0,.08); max-width: 640px; box-sizing: border-box; text-align: start; }
.bl-card[dir="rtl"], :host([dir="rtl"]) .bl-card { direction: rtl; }
.bl-card:lang(fa), .bl-card:lang(ar) { font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "Vazirmatn", "Noto Naskh Arabic UI", "Noto Naskh Arabic", "Noto Sans Arabic", Tahoma, sans-serif; }
.bl-card:lang(bn) { font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans Bengali UI", "Noto Sans Bengali", Vrinda, "Bangla Sangam MN", sans-serif; }
.bl-card:lang(my) { font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans Myanmar UI", "Noto Sans Myanmar", Padauk, "Myanmar Text", "Myanmar Sangam MN", sans-serif; }
.bl-card:lang(zh) { font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "Source Han Sans SC", sans-serif; }
.bl-history { background: #f1f3f5; border-color: #adb5bd; }
.bl-banner { position: fixed; inset-block-start: 8px; inset-inline: 8px; margin: 0 auto; max-width: 720px; z-index: 2147483647; }
.bl-row { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
.bl-icon { font-size: 15px; }
.bl-headline { flex: 1 1 auto; font-weight: 600; }
button { font: inherit; color: inherit; background: #fff; border: 1px solid #8c6d1f; border-radius: 6px; padding: 2px 10px; cursor: pointer; }
button:focus-visible, a:focus-visible { outline: 3px solid #1a73e8; outline-offset: 2px; }
.bl-close { border: none; background: transparent; font-size: 18px; line-height: 1; padding: 2px 6px; }
.bl-panel { margin-top: 8px; border-top: 1px solid #e5c77a; padding-top: 6px; max-height: 60vh; overflow: auto; }
.bl-sub { font-size: 13px; margin: 8px 0 4px; }
.bl-summary { margin: 4px 0; }
.bl-facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 10px; margin: 6px 0; }
.bl-facts dt { font-weight: 600; }
.bl-facts dd { margin: 0; }
.bl-muted, .bl-asof { color: #555; }
.bl-stale { color: #8a1c1c; font-weight: 600; }
.bl-caveat { font-style: italic; }
.bl-sources { margin: 4px 0; padding-inline-start: 18px; }
.bl-sources a { color: #0b57d0; }
.bl-actions { display: flex; gap: 8px; margin-top: 8px; flex-wrap: wrap; }
@media (prefers-reduced-motion: no-preference) { .bl-panel { animation: bl-in .15s ease-out; } @keyframes bl-in { from { opacity: 0; } to { opacity: 1; } } }
@media (prefers-color-scheme: dark) {
  .bl-card { color: #f1f3f5; background: #2b2414; border-color: #a07a22; }
  .bl-history { background: #25282c; border-color: #5c636a; }
  button { background: #3a3222; border-color: #c9a54a; }
  .bl-muted, .bl-asof { color: #b8bcc0; }
  .bl-sources a { color: #8ab4f8; }
  .bl-stale { color: #ff9b9b; }
}
`;
