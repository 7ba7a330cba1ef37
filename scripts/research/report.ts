import type { Engine } from './engine';
export const DEFAULT_MIN_OBSERVATIONS = 5;
export async function buildReport(engine: Engine, o: { region: string; fromHour?: string; toHour?: string; minObservations: number }) {
  void engine; void o;
  return { html: '', observations: 0n, suppressed: 0 };
}
