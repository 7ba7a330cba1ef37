/**
 * The security review (ARCHITECTURE.md "Threat model"), as checks that can fail: the built manifests ask for
 * exactly the permissions PRIVACY.md justifies and expose no web-accessible resources, the runtime
 * dependencies are exactly the four PRIVACY.md names (with their locked versions), and no source file
 * evaluates strings as code or writes HTML.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const TARGETS = ['chrome-mv3', 'firefox-mv3'] as const;
const manifestPath = (target: string) => resolve('.output', target, 'manifest.json');
const read = (path: string) => readFileSync(resolve(path), 'utf8');

interface Manifest {
  permissions?: string[];
  optional_permissions?: string[];
  host_permissions?: string[];
  optional_host_permissions?: string[];
  web_accessible_resources?: unknown;
  content_security_policy?: unknown;
  externally_connectable?: unknown;
}

/** The first column of the markdown table under `## <heading>` in PRIVACY.md, as the code spans it holds. */
function privacyTable(heading: string): string[][] {
  const text = read('PRIVACY.md');
  const start = text.indexOf(`\n## ${heading}\n`);
  expect(start, `PRIVACY.md has no "## ${heading}" section`).toBeGreaterThanOrEqual(0);
  const end = text.indexOf('\n## ', start + 1);
  const section = text.slice(start, end === -1 ? undefined : end);
  return section
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('|---') && !/^\| (permission|package) \|/.test(line))
    .map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim()));
}

const codeSpans = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

describe('built manifests', () => {
  beforeAll(() => {
    // Build only what is missing, so the usual run (after `npm test`'s build steps) reads what was built.
    for (const [target, args] of [['chrome-mv3', ['wxt', 'build']], ['firefox-mv3', ['wxt', 'build', '-b', 'firefox']]] as const) {
      if (existsSync(manifestPath(target))) continue;
      const r = spawnSync('npx', [...args], { stdio: 'inherit' });
      expect(r.status, `npx ${args.join(' ')} failed`).toBe(0);
    }
  }, 600_000);

  const justified = () => {
    const rows = privacyTable('Permissions');
    const permissions = rows.filter((r) => !r[0]!.startsWith('host permission')).flatMap((r) => codeSpans(r[0]!));
    const hosts = rows.filter((r) => r[0]!.startsWith('host permission')).flatMap((r) => codeSpans(r[0]!));
    return { permissions: permissions.sort(), hosts: hosts.sort() };
  };

  it('PRIVACY.md justifies at least the core permissions', () => {
    expect(justified().permissions).toEqual(expect.arrayContaining(['storage', 'webRequest']));
  });

  it.each(TARGETS)('%s asks for exactly the permissions PRIVACY.md justifies, and none optionally', (target) => {
    const m = JSON.parse(readFileSync(manifestPath(target), 'utf8')) as Manifest;
    const { permissions, hosts } = justified();
    expect([...(m.permissions ?? [])].sort()).toEqual(permissions);
    expect([...(m.host_permissions ?? [])].sort()).toEqual(hosts);
    expect(m.optional_permissions ?? []).toEqual([]);
    expect(m.optional_host_permissions ?? []).toEqual([]);
  });

  it.each(TARGETS)('%s has no web_accessible_resources and no externally_connectable', (target) => {
    const m = JSON.parse(readFileSync(manifestPath(target), 'utf8')) as Manifest;
    expect(m.web_accessible_resources).toBeUndefined();
    expect(m.externally_connectable).toBeUndefined();
  });

  it.each(TARGETS)('%s keeps the default content security policy (no unsafe-eval, no remote script)', (target) => {
    const m = JSON.parse(readFileSync(manifestPath(target), 'utf8')) as Manifest;
    expect(m.content_security_policy).toBeUndefined();
  });

  it.each(TARGETS)('%s writes no HTML from strings: no innerHTML in any bundle, Preact\'s included', (target) => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (name.endsWith('.js')) files.push(path);
      }
    };
    walk(resolve('.output', target));
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((f) => /\binnerHTML\b|\beval\s*\(/.test(readFileSync(f, 'utf8')))).toEqual([]);
  });

  it.each(TARGETS)('%s loads no script from the network in its pages', (target) => {
    const dir = resolve('.output', target);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.html'))) {
      expect(read(join(dir, file)), file).not.toMatch(/<script[^>]+src=["']?(https?:)?\/\//i);
    }
  });
});

describe('runtime dependencies', () => {
  const named = () => new Map(privacyTable('Runtime dependencies').map((r) => [codeSpans(r[0]!)[0]!, r[1]!]));

  it('package.json dependencies are exactly the four PRIVACY.md names', () => {
    const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string> };
    expect(Object.keys(pkg.dependencies).sort()).toEqual([...named().keys()].sort());
    expect(named().size).toBe(4);
  });

  it('PRIVACY.md gives each the version package-lock.json installs', () => {
    const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, { version: string }> };
    for (const [name, version] of named()) expect(version, name).toBe(lock.packages[`node_modules/${name}`]?.version);
  });
});

describe('source files', () => {
  const ROOTS = ['entrypoints', 'components', 'utils'];
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ts|tsx|js|mjs|html)$/.test(name)) files.push(path);
    }
  };
  for (const root of ROOTS) walk(root);

  it('there are sources to check', () => {
    expect(files.length).toBeGreaterThan(50);
  });

  // No HTML is written from strings anywhere, so no data can become markup. A constant that truly needs it
  // would be listed here with its reason.
  const FORBIDDEN: [string, RegExp][] = [
    ['eval(', /(^|[^\w.])eval\s*\(/],
    ['new Function(', /\bnew\s+Function\s*\(/],
    ['setTimeout or setInterval with a string', /\bset(Timeout|Interval)\s*\(\s*['"`]/],
    ['innerHTML', /\binnerHTML\b/],
    ['outerHTML', /\bouterHTML\s*=/],
    ['insertAdjacentHTML', /\binsertAdjacentHTML\b/],
    ['dangerouslySetInnerHTML', /\bdangerouslySetInnerHTML\b/],
    ['document.write', /\bdocument\.write(ln)?\s*\(/],
    ['a remote script', /\bimportScripts\s*\(|\bimport\s*\(\s*['"`]https?:/],
  ];
  it.each(FORBIDDEN)('no source file contains %s', (_name, pattern) => {
    const hits = files.filter((f) => pattern.test(readFileSync(f, 'utf8')));
    expect(hits).toEqual([]);
  });
});
