/**
 * The reachability log: every platform observation, anonymised (utils/log/record.ts), into IndexedDB
 * through the batching writer (utils/log/db.ts). At start it writes what a killed worker left behind:
 * the writer's own mirror, and journaled observations that never reached the writer.
 */
import { ReachLog, type LogContext } from '../../log/observe';
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
    const log = new ReachLog();
    bg.onObservation((obs, ctx) => log.record(obs, logContext(ctx), obs.journalKey));
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
