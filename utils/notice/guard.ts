/**
 * What the notice UI's guard decides, as pure functions of a notice's state (ARCHITECTURE.md "Threat model":
 * a page may remove, hide or restyle our notices, and churn its embeds). mount.tsx applies the decisions.
 */

/** The parts of a mounted notice the decisions read. */
export interface GuardedNotice {
  host: { readonly isConnected: boolean; getAttribute(name: string): string | null };
  /** The embed a label sits on; null for the banner. */
  anchor: { readonly isConnected: boolean } | null;
  /** How many times the guard has already put this notice back or restored its style. */
  reattached: number;
}

/** A label whose embed has left the page: it labels nothing, so it is dropped and frees its place under the cap. */
export function isOrphanLabel(n: GuardedNotice): boolean {
  return n.anchor !== null && !n.anchor.isConnected;
}

/** Labels that still sit on an embed in the page: only these count toward the per-frame cap. */
export function liveLabels(notices: readonly GuardedNotice[]): number {
  let live = 0;
  for (const n of notices) if (n.anchor?.isConnected) live++;
  return live;
}

export type GuardFix = 'drop' | 'reattach' | 'restyle' | null;

/**
 * What to do about one notice after the page changed: drop an orphaned label, put back a removed notice,
 * restore a host style the page changed, or nothing. The guard gives up on a notice after `maxFixes`
 * repairs rather than fight the page forever.
 */
export function guardFix(n: GuardedNotice, wantedStyle: string, maxFixes: number): GuardFix {
  if (isOrphanLabel(n)) return 'drop';
  if (n.reattached >= maxFixes) return null;
  if (!n.host.isConnected) return 'reattach';
  if (n.host.getAttribute('style') !== wantedStyle) return 'restyle';
  return null;
}
