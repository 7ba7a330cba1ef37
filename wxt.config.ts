import { defineConfig } from 'wxt';
import { preactWithoutHtml } from './scripts/build/preact-without-html';

// Permissions are the minimum the design needs: webRequest to observe platform loads (never to block),
// alarms for the user's probe schedule (probing is off by default),
// scripting to inject the notice UI only into tabs that need it, storage for settings, tab state and the log.
/** A channel setting from the environment, refused at build time when malformed, so a typo cannot ship. */
function channelSetting(name: string, shape: RegExp): string {
  const value = process.env[name]?.trim() ?? '';
  if (value && !shape.test(value)) throw new Error(`${name} is malformed: ${value}`);
  return value;
}

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
    // No HTML-writing code in the package: Preact's dangerouslySetInnerHTML path is removed (see the plugin).
    plugins: [preactWithoutHtml()],
    // The dataset update channel (utils/dataset/channel.ts): fixed at build time, never changeable at run time.
    define: {
      __BANLENS_DATASET_URL__: JSON.stringify(channelSetting('BANLENS_DATASET_URL', /^https:\/\/[^/]+\/\S*$/)),
      __BANLENS_DATASET_KEY__: JSON.stringify(channelSetting('BANLENS_DATASET_KEY', /^[A-Za-z0-9+/]{43}=$/)),
    },
  }),
});
