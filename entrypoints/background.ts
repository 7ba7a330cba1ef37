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
import { syncDetector } from '@/utils/detect/register-detector';

export default defineBackground(() => {
  const reachLog = new ReachLog();
  // The detector content script is registered only while the user's regions have something to watch.
  const syncDetectorNow = () => void decisionContext().then((ctx) => syncDetector(ctx));
  // Listeners first and synchronously: an event that woke the worker is delivered only to them.
  listenToRequests();
  onObservation((obs, ctx) => reachLog.record(obs, logContext(ctx)));
  browser.runtime.onMessage.addListener((msg: unknown, sender: Runtime.MessageSender) => handleMessage(msg, sender, { runProbes: () => runProbes(reachLog, false) }));
  browser.tabs.onRemoved.addListener((tabId) => void forgetTab(tabId));
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === PROBE_ALARM) void runProbes(reachLog, true);
  });
  settingsItem.watch(() => {
    invalidateContext();
    void syncProbeAlarm();
    syncDetectorNow();
  });
  watchDatasetChanges(() => {
    invalidateContext();
    syncDetectorNow();
  });
  syncDetectorNow();
  void loadTabStates();
  void decisionContext().then((ctx) => reachLog.start(logContext(ctx)));
});
