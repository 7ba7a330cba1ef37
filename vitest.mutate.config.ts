import { realpathSync } from 'node:fs';
import { searchForWorkspaceRoot } from 'vite';
import { configDefaults, defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config';

// Stryker's runs (npm run mutate): the unit suite with patient timeouts, since a two-core machine running
// mutants side by side makes timing-based tests slow. BANLENS_MUTATE_TESTS (comma-separated globs) narrows
// the run to the test files that exercise one module, for a quicker per-module run.
const only = process.env.BANLENS_MUTATE_TESTS?.split(',').filter(Boolean);
const config = mergeConfig(
  base,
  defineConfig({
    // Stryker runs in a sandbox (.stryker-tmp/sandbox-*) whose node_modules is a symlink to the real one, so a
    // package resolves to a path outside the sandbox's root. Vite serves only files under the workspace root:
    // a happy-dom test file (run through vite like a page) then failed to load its setup file
    // (`Cannot find module '/@fs/.../fake-indexeddb/auto/index.mjs'`), ran 0 tests, and Stryker counted every
    // mutant those files test as NoCoverage. The node-environment files were not affected.
    server: { fs: { allow: [searchForWorkspaceRoot(process.cwd()), realpathSync('node_modules')] } },
    test: {
      testTimeout: 30_000,
      hookTimeout: 60_000,
      // This meta-test reads the feature files' source text, which Stryker's sandbox holds instrumented, so
      // it fails the initial run; it checks how features are written, not what they do, and kills no mutant.
      exclude: [...configDefaults.exclude, 'tests/unit/background-features.test.ts'],
    },
  }),
);
// Set after the merge: mergeConfig concatenates arrays, so `include` given to it would add to the base's
// globs and still run every file.
if (only) config.test = { ...config.test, include: only };
export default config;
