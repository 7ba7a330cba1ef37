// npm test: every check the project has, in the order a failure is cheapest to find.
// Installs Debian's chromium, firefox-esr and Noto fonts first when they are missing (needs root, as CI has).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';

const results = { passed: 0, failed: 0 };
const failedSteps = [];

function run(name, cmd, args, opts = {}) {
  console.log(`\n▶ ${name}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...opts.env } });
  if (r.status !== 0) failedSteps.push(name);
  return r.status === 0;
}

function vitest(name, config, extraEnv = {}) {
  mkdirSync('artifacts', { recursive: true });
  const out = `artifacts/vitest-${name}.json`;
  run(name, 'npx', ['vitest', 'run', '-c', config, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`], { env: extraEnv });
  if (existsSync(out)) {
    const json = JSON.parse(readFileSync(out, 'utf8'));
    results.passed += json.numPassedTests;
    results.failed += json.numFailedTests + (json.numRuntimeErrorTestSuites ?? 0) + (json.numFailedTestSuites && !json.numFailedTests ? json.numFailedTestSuites : 0);
  } else {
    results.failed += 1;
  }
}

// The same install step the demo and the e2e suite use (tests/e2e/harness.ts).
run('browsers', 'npx', ['tsx', '-e', "import('./tests/e2e/harness.ts').then((m) => m.ensureBrowsers())"]);
run('typecheck', 'npx', ['tsc', '--noEmit']);
run('lint', 'npx', ['biome', 'lint', '--error-on-warnings', '.']);
run('dataset:check', 'npx', ['tsx', 'scripts/dataset-check.ts']);
vitest('unit', 'vitest.config.ts');
run('build chrome', 'npx', ['wxt', 'build']);
run('build firefox', 'npx', ['wxt', 'build', '-b', 'firefox']);
run('web-ext lint', 'npx', ['web-ext', 'lint', '--source-dir', '.output/firefox-mv3', '--self-hosted', '--warnings-as-errors']);
// One repetition of a subset of the bench: it checks that the bench runs, not the figures.
run('bench smoke', 'npx', ['tsx', 'scripts/bench.ts', '--smoke']);
// Every tests/e2e/*.e2e.ts, one file at a time, against the builds above. dataset-update.e2e.ts also makes its own
// build of each browser with a test update channel (both at once, in a temporary folder): the channel is fixed at build time.
vitest('e2e', 'vitest.e2e.config.ts');

if (failedSteps.length) {
  console.log(`\nFailed steps: ${failedSteps.join(', ')}`);
  // A failed step that is not a test run still fails the whole run.
  results.failed += failedSteps.filter((s) => s !== 'unit' && s !== 'e2e').length;
}
console.log(`\n${results.passed} passed, ${results.failed} failed`);
process.exit(failedSteps.length || results.failed ? 1 : 0);
