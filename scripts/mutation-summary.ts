// After `stryker run`: the mutation score by module, as the README's table prints it.
import { readFileSync } from 'node:fs';

interface Mutant { status: string }
const report = JSON.parse(readFileSync('artifacts/mutation/mutation.json', 'utf8')) as { files: Record<string, { mutants: Mutant[] }> };
const modules = new Map<string, { killed: number; total: number }>();
for (const [file, { mutants }] of Object.entries(report.files)) {
  const module = file.split('/').slice(0, file.startsWith('utils/log/') ? 3 : 2).join('/').replace(/\.ts$/, '');
  const m = modules.get(module) ?? { killed: 0, total: 0 };
  for (const x of mutants) {
    if (x.status === 'Ignored' || x.status === 'CompileError') continue;
    m.total++;
    if (x.status === 'Killed' || x.status === 'Timeout') m.killed++;
  }
  modules.set(module, m);
}
console.log('| module | mutants | killed | score |\n|---|---|---|---|');
for (const [module, m] of [...modules].sort()) console.log(`| \`${module}\` | ${m.total} | ${m.killed} | ${((100 * m.killed) / Math.max(1, m.total)).toFixed(1)}% |`);
