import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Dataset } from '@/utils/dataset/schema';
import { activeDataset } from '@/utils/dataset/store';
import { isoDay } from '@/utils/dataset/query';
import { explainRestriction } from '@/utils/explain';
import { regionName, tagOf, type Lang, type T } from '@/utils/i18n';
import { getSettings } from '@/utils/settings';
import { resolveRegions } from '@/utils/region';
import { RecordRow } from './RecordRow';
import { Brand } from './Brand';
import { DatasetDates } from './DatasetDates';

type View = { by: 'region' | 'platform'; key: string };

function viewFromHash(): View | null {
  const m = /^#(region|platform)=([A-Za-z0-9-]+)$/.exec(location.hash);
  return m ? { by: m[1] as View['by'], key: m[2]! } : null;
}

/** "What is blocked where, and since when?": the dataset by region and by platform, with timelines and sources. */
export function Browse({ lang, t }: { lang: Lang; t: T }) {
  const [data, setData] = useState<{ dataset: Dataset; source: string } | null>(null);
  const [view, setView] = useState<View | null>(viewFromHash());
  const [query, setQuery] = useState('');
  const today = isoDay();
  useEffect(() => {
    void activeDataset().then(setData);
    if (!viewFromHash()) void getSettings().then((s) => setView((v) => v ?? { by: 'region', key: resolveRegions(s.regions).regions[0] ?? 'PK' }));
    const onHash = () => setView(viewFromHash());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  const dataset = data?.dataset;
  const platformName = useMemo(() => new Map(dataset?.platforms.map((p) => [p.id, p.name]) ?? []), [dataset]);
  const explained = useMemo(
    () => dataset?.restrictions.map((r) => explainRestriction(r, platformName.get(r.platform) ?? r.platform, lang, t, today)) ?? [],
    [dataset, lang],
  );
  if (!dataset || !view) return <p>…</p>;

  const regions = [...new Set(dataset.restrictions.map((r) => r.region))].sort((a, b) => regionName(a, lang).localeCompare(regionName(b, lang), tagOf(lang)));
  const platforms = dataset.platforms.filter((p) => dataset.restrictions.some((r) => r.platform === p.id));
  const q = query.trim().toLowerCase();
  const shown = explained
    .filter((r) => (view.by === 'region' ? r.region === view.key : r.platform === view.key))
    .filter((r) => !q || `${r.headline} ${r.summary} ${r.authority} ${r.reason}`.toLowerCase().includes(q))
    .sort((a, b) => Number(b.active) - Number(a.active) || (a.id < b.id ? 1 : -1));
  const go = (v: View) => {
    location.hash = `${v.by}=${v.key}`;
    setView(v);
  };
  const count = (pred: (r: (typeof explained)[number]) => boolean) => explained.filter(pred).length;

  return (
    <div>
      <Brand />
      <h1>{t('browseTitle')}</h1>
      <p class="muted">
        <DatasetDates dataset={dataset} t={t} lang={lang} /> · {t('browseCounts', String(dataset.restrictions.length), String(regions.length), String(count((r) => r.active)))}
      </p>
      <div class="row">
        <label>
          {t('browseByRegion')}{' '}
          <select value={view.by === 'region' ? view.key : ''} onChange={(e) => go({ by: 'region', key: (e.currentTarget as HTMLSelectElement).value })}>
            <option value="">—</option>
            {regions.map((code) => (
              <option key={code} value={code}>
                {regionName(code, lang)} ({code}) · {count((r) => r.region === code && r.active)}/{count((r) => r.region === code)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('browseByPlatform')}{' '}
          <select value={view.by === 'platform' ? view.key : ''} onChange={(e) => go({ by: 'platform', key: (e.currentTarget as HTMLSelectElement).value })}>
            <option value="">—</option>
            {platforms.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} · {count((r) => r.platform === p.id && r.active)}/{count((r) => r.platform === p.id)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('browseSearch')} <input type="search" value={query} onInput={(e) => setQuery((e.currentTarget as HTMLInputElement).value)} />
        </label>
      </div>
      <h2>{view.by === 'region' ? regionName(view.key, lang) : (platformName.get(view.key) ?? view.key)}</h2>
      {shown.length === 0 ? <p>{view.by === 'region' ? t('noRestrictionsInRegion', regionName(view.key, lang)) : t('browseNothing')}</p> : null}
      <div class="records">
        {shown.map((r) => (
          <RecordRow
            key={r.id}
            r={r}
            t={t}
            lang={lang}
            timeline
            links={
              view.by === 'platform' ? (
                <a href={`#region=${r.region}`}>{r.regionName}</a>
              ) : (
                <a href={`#platform=${r.platform}`}>
                  <bdi>{platformName.get(r.platform)}</bdi>
                </a>
              )
            }
          />
        ))}
      </div>
    </div>
  );
}
