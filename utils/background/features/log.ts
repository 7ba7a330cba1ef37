/**
 * The reachability log: every platform observation, anonymised (utils/log/record.ts), into IndexedDB
 * through the batching writer (utils/log/db.ts). At start it writes what a killed worker left behind:
 * the writer's own mirror, and journaled observations that never reached the writer. What the browser
 * refuses to store (its quota ran out) is tallied in session:logLoss and local:logLoss for the dashboard to tell.
 */
import type { AddResult } from '../../log/db';
import { tallyLogLoss } from '../../log/loss';
import { ReachLog, type LogContext } from '../../log/observe';
import { logLossItem, logLossSessionItem, readLogLoss } from '../../storage';
import type { DecisionContext } from '../context';
import { defineFeature } from '../host';
import { matchObservation } from '../observations';

export function logContext(ctx: Pick<DecisionContext, 'settings' | 'region' | 'dataset'>): LogContext {
  return {
    enabled: ctx.settings.log.enabled,
    region: ctx.region.regions[0]?.slice(0, 2) ?? 'ZZ',
    dataset: ctx.dataset.version,
    retentionDays: ctx.settings.log.retentionDays,
    maxRecords: ctx.settings.log.maxRecords,
  };
}

export default defineFeature({
  id: 'log',
  setup(bg) {
    // One tally at a time (two read and written at once would count one), and a loss stays waiting until a
    // tally that holds it is stored. storage.session takes it first: where storage.local shares the exhausted
    // quota (Firefox keeps it in IndexedDB), only the session's copy can tell the user now. The local copy,
    // which outlives the browser session, follows, and is tried again until the quota lets it through.
    const waiting: AddResult[] = [];
    let tallying = Promise.resolve();
    let retry: ReturnType<typeof setTimeout> | undefined;
    let localBehind = false;
    const tally = () => {
      tallying = tallying.then(async () => {
        const taken = waiting.length;
        try {
          if (taken > 0) {
            let next = await readLogLoss();
            for (const result of waiting.slice(0, taken)) next = tallyLogLoss(next, result, Date.now());
            await logLossSessionItem.setValue(next);
            waiting.splice(0, taken);
            localBehind = true;
          }
          if (localBehind) {
            const current = await readLogLoss();
            if (current) await logLossItem.setValue(current);
            localBehind = false;
          }
        } catch (error) {
          console.warn('BanLens: could not note a log loss; trying again', error);
          clearTimeout(retry);
          retry = setTimeout(tally, 5000);
        }
      });
    };
    const onLoss = (result: AddResult) => {
      waiting.push(result);
      tally();
    };
    const log = new ReachLog({ onLoss });
    bg.onObservation(async (obs, ctx) => {
      if ((await log.record(obs, logContext(ctx), obs.journalKey)) && obs.journalKey !== undefined) bg.journal.handOver(obs.journalKey);
    });
    bg.onFlush(() => log.flush());
    void (async () => {
      const ctx = await bg.context();
      await log.start(logContext(ctx));
      for (const { key, obs } of await bg.journal.leftovers()) {
        const matched = matchObservation(obs, ctx, key);
        if (matched) await log.record(matched, logContext(ctx), key).catch(() => false);
        await bg.journal.remove(key);
      }
    })().catch((error: unknown) => console.warn('BanLens: log recovery failed', error));
  },
});
