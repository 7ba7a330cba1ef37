/** The user's regions as the background resolved them, for the options page and the tests. */
import { restrictionsActiveAt } from '../../dataset/query';
import { regionName } from '../../i18n-core';
import type { RegionState } from '../../protocol';
import type { DecisionContext } from '../context';
import { defineFeature } from '../host';

export function regionState(ctx: Pick<DecisionContext, 'dataset' | 'region' | 'today' | 'lang'>): RegionState {
  return {
    region: ctx.region,
    anyRestriction: restrictionsActiveAt(ctx.dataset, ctx.region.regions, ctx.today).length > 0,
    names: ctx.region.regions.map((c) => regionName(c, ctx.lang)),
  };
}

export default defineFeature({
  id: 'region',
  setup(bg) {
    bg.onPage('region:state', (_request, ctx) => regionState(ctx));
  },
});
