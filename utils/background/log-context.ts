import type { DecisionContext } from './context';
import type { LogContext } from '../log/observe';

export function logContext(ctx: DecisionContext): LogContext {
  return {
    enabled: ctx.settings.log.enabled,
    region: ctx.region.regions[0]?.slice(0, 2) ?? 'ZZ',
    dataset: ctx.dataset.version,
    retentionDays: ctx.settings.log.retentionDays,
    maxRecords: ctx.settings.log.maxRecords,
  };
}
