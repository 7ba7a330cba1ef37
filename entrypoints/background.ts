import browser, { type Runtime } from 'webextension-polyfill';
import { listenToRequests } from '@/utils/background/requests';
import { handleMessage } from '@/utils/background/router';
import { forgetTab, loadTabStates } from '@/utils/background/tab-state';
import { invalidateContext } from '@/utils/background/context';
import { watchDatasetChanges } from '@/utils/dataset/store';
import { settingsItem } from '@/utils/settings';

export default defineBackground(() => {
  listenToRequests();
  browser.runtime.onMessage.addListener((msg: unknown, sender: Runtime.MessageSender) => handleMessage(msg, sender));
  browser.tabs.onRemoved.addListener((tabId) => void forgetTab(tabId));
  settingsItem.watch(() => invalidateContext());
  watchDatasetChanges(() => invalidateContext());
  void loadTabStates();
});
