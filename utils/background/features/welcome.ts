/**
 * The first-run page (entrypoints/welcome/, components/Welcome.tsx), opened once when BanLens is installed:
 * never on an update or a browser update, so a user who closed it is not asked again.
 */
import browser from 'webextension-polyfill';
import { defineFeature } from '../host';

export const WELCOME_PAGE = '/welcome.html';

/** Whether an onInstalled event should open the welcome page. */
export function opensWelcome(details: { reason: string }): boolean {
  return details.reason === 'install';
}

export default defineFeature({
  id: 'welcome',
  setup() {
    // Registered synchronously in setup, like every listener, so the install event that woke the worker reaches it.
    browser.runtime.onInstalled.addListener((details) => {
      if (opensWelcome(details)) void browser.tabs.create({ url: browser.runtime.getURL(WELCOME_PAGE) });
    });
  },
});
