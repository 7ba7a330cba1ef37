/**
 * A Vite plugin that leaves zod's JSON Schema generator out of the background (issue 12: background.js ≤ 60 KB
 * gzipped). Zod's classic schemas reference the generator from every schema type, so no bundler can drop it,
 * though the background only ever parses: about a fifth of its bundle was code it never runs. In the
 * background's build, the two generator modules that zod/v4/classic/schemas.js imports resolve to stubs that
 * throw if called. Pages keep the real generator (the dashboard exports the record's JSON Schema).
 *
 * When a zod upgrade renames what classic/schemas.js imports, the
 * stubs no longer export it and the build fails with a missing export, so the plugin cannot silently stop working.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { WxtViteConfig } from 'wxt';

type Plugin = Extract<NonNullable<WxtViteConfig['plugins']>[number], { name: string }>;

const PROCESSORS = '\0banlens:zod-json-schema-processors';
const GENERATOR = '\0banlens:zod-to-json-schema';
const CLASSIC = /[\\/]node_modules[\\/]zod[\\/]v4[\\/]classic[\\/]schemas\.js$/;
const NOT_HERE = 'throw new Error("JSON Schema generation is not part of the BanLens background")';

/** The names zod's processor module exports, read from the installed zod. */
function processorNames(): string[] {
  const file = createRequire(import.meta.url).resolve('zod/v4/core').replace(/index\.c?js$/, 'json-schema-processors.js');
  const names = [...readFileSync(file, 'utf8').matchAll(/^export (?:const|function) (\w+)/gm)].map((m) => m[1]!);
  if (names.length === 0) throw new Error(`no exports found in ${file}; update scripts/build/zod-without-json-schema.ts`);
  return names;
}

export function zodWithoutJsonSchema(): Plugin {
  let background = false;
  return {
    name: 'banlens:zod-without-json-schema',
    enforce: 'pre',
    buildStart(options) {
      const inputs = typeof options.input === 'string' ? [options.input] : Object.values(options.input ?? {});
      background = inputs.some((i) => /[\\/]entrypoints[\\/]background\.ts$/.test(i));
    },
    resolveId(source: string, importer: string | undefined) {
      if (!background || !importer || !CLASSIC.test(importer.split('?')[0] ?? '')) return null;
      if (source === '../core/json-schema-processors.js') return PROCESSORS;
      if (source === '../core/to-json-schema.js') return GENERATOR;
      return null;
    },
    load(id: string) {
      // Every processor is only called by the generator, which is gone. Each name is still exported (a namespace
      // member that does not exist would be called as `(void 0)(…)`, which web-ext lint flags).
      if (id === PROCESSORS) return processorNames().map((name) => `export const ${name} = () => { ${NOT_HERE}; };`).join('\n');
      if (id === GENERATOR) return `export const createToJSONSchemaMethod = () => () => { ${NOT_HERE}; };\nexport const createStandardJSONSchemaMethod = () => () => { ${NOT_HERE}; };`;
      return null;
    },
  };
}
