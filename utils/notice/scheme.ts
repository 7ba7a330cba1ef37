/**
 * Whether the page under a notice is dark, so the notice matches it: the page's own background where it
 * has one (the first opaque background of body or html), else the canvas the browser paints, which is dark
 * only when the page opts into a dark color-scheme and the system prefers dark.
 */

/** [r, g, b, alpha] of a computed colour (`rgb(…)`, `rgba(…)`, or `color(srgb …)`), or null. */
export function parseColour(css: string): [number, number, number, number] | null {
  const rgb = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)$/.exec(css.trim());
  if (rgb) {
    const a = rgb[4] === undefined ? 1 : rgb[4].endsWith('%') ? Number(rgb[4].slice(0, -1)) / 100 : Number(rgb[4]);
    return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3]), a];
  }
  const srgb = /^color\(srgb\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)(?:\s*\/\s*([\d.]+))?\)$/.exec(css.trim());
  if (srgb) return [Number(srgb[1]) * 255, Number(srgb[2]) * 255, Number(srgb[3]) * 255, srgb[4] === undefined ? 1 : Number(srgb[4])];
  if (css === 'transparent') return [0, 0, 0, 0];
  return null;
}

/** WCAG relative luminance of an sRGB colour, 0 (black) to 1 (white). */
export function luminance([r, g, b]: readonly number[]): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r ?? 0) + 0.7152 * lin(g ?? 0) + 0.0722 * lin(b ?? 0);
}

/** Dark when the background is nearer black than white (white text would read better on it). */
export function isDarkColour(css: string): boolean | null {
  const c = parseColour(css);
  if (!c || c[3] < 0.5) return null;
  return luminance(c) < 0.18;
}

export function pageIsDark(doc: Document = document, win: Window = window): boolean {
  for (const el of [doc.body, doc.documentElement]) {
    if (!el) continue;
    const dark = isDarkColour(win.getComputedStyle(el).backgroundColor);
    if (dark !== null) return dark;
  }
  const scheme = win.getComputedStyle(doc.documentElement).colorScheme || '';
  const systemDark = win.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;
  return /\bdark\b/.test(scheme) && (systemDark || !/\blight\b/.test(scheme));
}
