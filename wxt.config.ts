import { defineConfig } from 'wxt';
import bans from './utils/dataset/bans.json';
import { signatureFile, signatureScript } from './utils/detect/signatures';
import type { Platform } from './utils/dataset/schema';

// Permissions are the minimum the design needs: webRequest to observe platform loads (never to block),
// alarms for the user's probe schedule (probing is off by default),
// scripting to inject the notice UI only into tabs that need it, storage for settings, tab state and the log.
export default defineConfig({
  manifestVersion: 3,
  manifest: ({ browser }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    permissions: ['storage', 'webRequest', 'scripting', 'alarms'],
    host_permissions: ['<all_urls>'],
    action: { default_title: '__MSG_extName__' },
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
  }),
  hooks: {
    // One small content script per platform with its embed signatures (utils/detect/signatures.ts):
    // the background registers those of the watched platforms in front of the detector.
    'build:publicAssets': (_wxt, files) => {
      for (const p of bans.platforms as Platform[]) files.push({ relativeDest: signatureFile(p.id), contents: signatureScript(p) });
    },
  },
});
