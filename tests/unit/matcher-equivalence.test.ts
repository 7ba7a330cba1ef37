/**
 * The host matcher runs for every request, so it was rewritten as one pass over the characters (issue 12).
 * These properties pin it to the earlier regular-expression version, kept here as the reference: the same
 * answer for every host, including the odd ones (upper case, non-ASCII letters that lower-case to ASCII,
 * trailing dots, digits that look like IPv4, hyphens at label edges, overlong labels and names).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildHostIndex, matchHost, normaliseHost, type HostIndex, type HostMatch } from '@/utils/dataset/matcher';
import { bundledDataset } from '@/utils/dataset/bundled';

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const HOST_CHARS = /^[a-z0-9.-]+$/;
function referenceNormalise(host: string): string | null {
  let h = host.toLowerCase();
  if (h.endsWith('.')) h = h.slice(0, -1);
  if (!h || h.length > 253 || !HOST_CHARS.test(h) || IPV4.test(h)) return null;
  if (h.split('.').some((label) => label === '' || label.length > 63 || label.startsWith('-') || label.endsWith('-'))) return null;
  return h;
}
function referenceMatch(index: HostIndex, host: string): HostMatch | null {
  const h = referenceNormalise(host);
  if (!h) return null;
  let candidate = h;
  for (;;) {
    const hit = index.get(candidate);
    if (hit) return hit;
    const dot = candidate.indexOf('.');
    if (dot < 0) return null;
    candidate = candidate.slice(dot + 1);
  }
}

const index = buildHostIndex(bundledDataset().platforms);
const domains = bundledDataset().platforms.flatMap((p) => [...p.domains, ...p.shortLinkDomains, ...p.cdnDomains]);
/** Characters that exercise every branch: letters of both cases, digits, dots, hyphens, and a few that are not allowed. */
const CHARS = ['a', 'b', 'x', 'Z', 'K', '0', '1', '9', '.', '.', '-', '_', ':', ' ', '\u212a', 'İ', 'é', 'ｘ', '%', '/'];
const label = fc.array(fc.constantFrom(...CHARS), { maxLength: 8 }).map((cs) => cs.join(''));
const oddHost = fc.array(label, { maxLength: 6 }).map((ls) => ls.join('.'));
const nearPlatform = fc.tuple(fc.array(fc.constantFrom('www', 'api', 'a-b', 'A', '1', '-x', ''), { maxLength: 3 }), fc.constantFrom(...domains), fc.constantFrom('', '.', '..', '.evil.test', 'X')).map(([pre, d, post]) => [...pre, d].join('.') + post);
const caseFlip = fc.tuple(fc.constantFrom(...domains), fc.array(fc.boolean(), { minLength: 30, maxLength: 30 })).map(([d, flips]) => [...d].map((c, i) => (flips[i] ? c.toUpperCase() : c)).join(''));
const numeric = fc.array(fc.integer({ min: 0, max: 1500 }), { minLength: 1, maxLength: 6 }).map((ns) => ns.join('.'));

describe('the one-pass host matcher equals the reference', () => {
  it.each([
    ['odd characters and labels', oddHost],
    ['platform domains with prefixes and suffixes', nearPlatform],
    ['platform domains in mixed case', caseFlip],
    ['numbers that may look like IPv4', numeric],
  ])('%s', (_name, arb) => {
    fc.assert(
      fc.property(arb, (host) => {
        expect(normaliseHost(host)).toBe(referenceNormalise(host));
        expect(matchHost(index, host)).toBe(referenceMatch(index, host));
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    `${'a'.repeat(63)}.com`,
    `${'a'.repeat(64)}.com`,
    `${'a.'.repeat(126)}co`,
    `${'a.'.repeat(126)}com`,
    `${'a.'.repeat(126)}co.`,
    '\u212aa.com',
    'x.com.',
    'x.com..',
    '1.2.3.4.',
    '1.2.3.x',
    '1.2.3',
    '1234.1.1.1',
    '01.02.03.004',
    '-',
    '.x.com',
  ])('%s', (host) => {
    expect(normaliseHost(host)).toBe(referenceNormalise(host));
    expect(matchHost(index, host)).toBe(referenceMatch(index, host));
  });
});
