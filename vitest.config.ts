import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';
import { datasetCore } from './scripts/build/dataset-core';

export default defineConfig({
  plugins: [WxtVitest(), datasetCore()],
  resolve: {
    // Background and page modules use the polyfill; in unit tests it is WXT's fake browser.
    alias: { 'webextension-polyfill': new URL('./tests/unit/fake-polyfill.ts', import.meta.url).pathname },
  },
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/unit/**/*.test.tsx'],
    setupFiles: ['fake-indexeddb/auto', './tests/unit/extension-files.ts'],
    environmentOptions: { happyDOM: { settings: { handleDisabledFileLoadingAsSuccess: true } } },
  },
});
