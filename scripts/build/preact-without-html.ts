/**
 * A Vite plugin that removes Preact's one HTML-writing code path, `dangerouslySetInnerHTML`, from the
 * extension's bundles (ARCHITECTURE.md "Threat model"). BanLens never uses that prop
 * (tests/unit/security.test.ts forbids it in every source file), so the path is dead code; without it the
 * package contains no `innerHTML` assignment at all, and `web-ext lint` has nothing to warn about.
 * Preact publishes no build without it, and addons-linter has no per-file justification (it runs ESLint
 * with inline configuration disabled), so we remove it at build time instead of filtering the warnings.
 *
 * If the prop were ever passed, rendering throws instead of writing HTML. When a Preact upgrade changes the
 * code, the build fails here, so the path cannot come back unnoticed.
 */
import type { WxtViteConfig } from 'wxt';

/** A Vite plugin of the Vite that WXT builds with (its own copy, not the one vitest brings). */
type Plugin = Extract<NonNullable<WxtViteConfig['plugins']>[number], { name: string }>;

/** Preact's diff: `if (newHtml) { ...node.innerHTML = newHtml.__html... } else if (oldHtml && (node.innerHTML = ''), diffChildren(...` */
const HTML_PATH =
  /if\((\w+)\)\w+\|\|\w+&&\(\1\.__html==(\w+)\.__html\|\|\1\.__html==(\w+)\.innerHTML\)\|\|\(\3\.innerHTML=\1\.__html\),\w+\.__k=\[\];else if\(\2&&\(\3\.innerHTML=""\),/;

export function preactWithoutHtml(): Plugin {
  return {
    name: 'banlens:preact-without-html',
    enforce: 'pre',
    transform(code, id) {
      if (!/[\\/]node_modules[\\/]preact[\\/]dist[\\/]preact\.(module\.js|mjs)$/.test(id.split('?')[0] ?? '')) return null;
      const match = HTML_PATH.exec(code);
      if (!match) this.error(`Preact's dangerouslySetInnerHTML code path has changed in ${id}; update scripts/build/preact-without-html.ts`);
      const [found, newHtml] = match;
      const replaced = code.replace(found, `if(${newHtml})throw Error("dangerouslySetInnerHTML is not supported in BanLens");else if(`);
      if (/innerHTML/.test(replaced)) this.error(`Preact still assigns innerHTML after the transform in ${id}`);
      return { code: replaced, map: null };
    },
  };
}
