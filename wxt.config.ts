import { defineConfig } from 'wxt';
import { signatureFile, signatureScript } from './utils/detect/signatures';
import { preactWithoutHtml } from './scripts/build/preact-without-html';
import { channelFrom } from './utils/dataset/channel';
import timezones from './utils/region/timezones.json';
import { ZONES_PATH } from './utils/region';
import { zodWithoutJsonSchema } from './scripts/build/zod-without-json-schema';
import { DATASET_CORE_FILE, DATASET_FILE, datasetCore, datasetCoreFileContents, datasetFileContents, validatedBundledDataset } from './scripts/build/dataset-core';

// Permissions are the minimum the design needs: webRequest to observe platform loads (never to block),
// alarms for the user's probe schedule (probing is off by default),
// scripting to inject the notice UI only into tabs that need it, storage for settings, tab state and the log.
/** A channel setting from the environment, refused at build time when malformed, so a typo cannot ship. */
function channelSetting(name: string, shape: RegExp): string {
  const value = process.env[name]?.trim() ?? '';
  if (value && !shape.test(value)) throw new Error(`${name} is malformed: ${value}`);
  return value;
}

const DATASET_URL = channelSetting('BANLENS_DATASET_URL', /^https:\/\/[^/]+\/\S*$/);
const DATASET_KEY = channelSetting('BANLENS_DATASET_KEY', /^[A-Za-z0-9+/]{43}=$/);
// One without the other would silently fall back to another channel: refuse it.
if (!DATASET_URL !== !DATASET_KEY) throw new Error('BANLENS_DATASET_URL and BANLENS_DATASET_KEY go together: set both, or neither');
/** Null: this build has no update channel, so updates are off and Settings says so (utils/dataset/channel.ts). */
const CHANNEL = channelFrom(DATASET_URL, DATASET_KEY);

/** Toolbar, extensions page and store sizes. tests/unit/manifest-icons.test.ts checks that each file exists. */
export const ICON_SIZES = [16, 32, 48, 128] as const;
const ICONS = Object.fromEntries(ICON_SIZES.map((size) => [size, `icon/${size}.png`]));

export default defineConfig({
  // BANLENS_OUT_DIR: a second build beside the usual one (the update e2e builds one with a test channel).
  outDir: process.env.BANLENS_OUT_DIR || '.output',
  manifestVersion: 3,
  manifest: ({ browser }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    permissions: ['storage', 'webRequest', 'scripting', 'alarms'],
    host_permissions: ['<all_urls>'],
    // The icon's source is public/icon/banlens.svg; the PNGs are rendered from it (rsvg-convert -w N -h N).
    icons: ICONS,
    action: { default_title: '__MSG_extName__', default_icon: ICONS },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'banlens@banlens.org',
              strict_min_version: '140.0',
              // Nothing is collected or transmitted: the log stays in IndexedDB until the user exports it.
              data_collection_permissions: { required: ['none'] },
            },
            gecko_android: { strict_min_version: '142.0' },
          },
        }
      : {}),
  }),
  vite: () => ({
    build: { target: 'es2022' },
    // No HTML-writing code in the package: Preact's dangerouslySetInnerHTML path is removed (see the plugin).
    // The background leaves zod's unused JSON Schema generator out (scripts/build/zod-without-json-schema.ts).
    // The bundled dataset is validated here, and the background gets its compact core (scripts/build/dataset-core.ts).
    plugins: [preactWithoutHtml(), zodWithoutJsonSchema(), datasetCore()],
    // The dataset update channel (utils/dataset/channel.ts): fixed at build time, never changeable at run time.
    define: {
      __BANLENS_DATASET_URL__: JSON.stringify(DATASET_URL),
      __BANLENS_DATASET_KEY__: JSON.stringify(DATASET_KEY),
    },
  }),
  hooks: {
    'build:before': () => {
      if (!CHANNEL) console.warn('BanLens: no dataset update channel (BANLENS_DATASET_URL, BANLENS_DATASET_KEY): this build never updates its dataset, and Settings says so');
    },
    // A release without a channel would leave every installed copy on this dataset until the next release.
    'zip:start': () => {
      if (!CHANNEL && process.env.BANLENS_RELEASE_WITHOUT_UPDATES !== '1') {
        throw new Error('refusing to package a release without a dataset update channel: set BANLENS_DATASET_URL and BANLENS_DATASET_KEY (README "Running a channel"), or BANLENS_RELEASE_WITHOUT_UPDATES=1 to release one that never updates its dataset');
      }
    },
    // One small content script per platform with its embed signatures (utils/detect/signatures.ts):
    // the background registers those of the watched platforms in front of the detector.
    // The whole validated dataset and its core are packaged files (scripts/build/dataset-core.ts).
    // Validating fails the build on an invalid dataset, with the errors dataset:check would print.
    'build:publicAssets': (_wxt, files) => {
      const dataset = validatedBundledDataset();
      for (const p of dataset.platforms) files.push({ relativeDest: signatureFile(p.id), contents: signatureScript(p) });
      files.push({ relativeDest: DATASET_FILE, contents: datasetFileContents() }, { relativeDest: DATASET_CORE_FILE, contents: datasetCoreFileContents() });
      // The time zone table, fetched by the background (utils/background/regions.ts) instead of bundled.
      files.push({ relativeDest: ZONES_PATH.slice(1), contents: JSON.stringify(timezones) });
    },
  },
});
