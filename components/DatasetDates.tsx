import type { Dataset } from '@/utils/dataset/schema';
import { formatDate, isolate, type Lang, type T } from '@/utils/i18n';

/**
 * The dataset's own dates, labelled for what they are: when it was compiled, and the last day its research
 * covered. Shown next to each other so "compiled 1 Dec 2026" is never read as a record's date.
 */
export function DatasetDates({ dataset, t, lang }: { dataset: Pick<Dataset, 'version' | 'asOf' | 'researchedThrough'>; t: T; lang: Lang }) {
  return (
    <span data-testid="dataset-dates">
      {t('datasetCompiled', isolate(dataset.version, lang), isolate(formatDate(dataset.asOf, lang), lang))} · {t('datasetResearched', isolate(formatDate(dataset.researchedThrough, lang), lang))}
    </span>
  );
}
