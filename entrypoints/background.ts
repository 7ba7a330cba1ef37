import browser, { type Runtime } from 'webextension-polyfill';
import { listenToRequests, onObservation } from '@/utils/background/requests';
import { handleMessage } from '@/utils/background/router';
import { forgetTab, loadTabStates } from '@/utils/background/tab-state';
import { decisionContext, invalidateContext } from '@/utils/background/context';
import { logContext } from '@/utils/background/log-context';
import { PROBE_ALARM, runProbes, syncProbeAlarm } from '@/utils/background/probing';
import { watchDatasetChanges } from '@/utils/dataset/store';
import { ReachLog } from '@/utils/log/observe';
import { settingsItem } from '@/utils/settings';

export default defineBackground(() => {
  const reachLog = new ReachLog();
  // Listeners first and synchronously: an event that woke the worker is delivered only to them.
  listenToRequests();
  onObservation((obs, ctx) => reachLog.record(obs, logContext(ctx)));
  browser.runtime.onMessage.addListener((msg: unknown, sender: Runtime.MessageSender) => handleMessage(msg, sender, { runProbes: () => runProbes(reachLog, false) }));
  // First run: the welcome page says what BanLens does and asks the opt-in questions (components/Welcome.tsx).
  browser.runtime.onInstalled.addListener(({ reason }) => {
    if (reason === 'install') void browser.tabs.create({ url: browser.runtime.getURL('/welcome.html') });
  });
  browser.tabs.onRemoved.addListener((tabId) => void forgetTab(tabId));
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === PROBE_ALARM) void runProbes(reachLog, true);
  });
  settingsItem.watch(() => {
    invalidateContext();
    void syncProbeAlarm();
  });
  watchDatasetChanges(() => invalidateContext());
  void loadTabStates();
  void decisionContext().then((ctx) => reachLog.start(logContext(ctx)));
});
