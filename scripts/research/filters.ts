/**
 * The CLI's record filters (--from --to --region --platform --outcome --vantage), once as a predicate
 * for records in memory and once as a SQL condition for DuckDB, so both paths select the same records.
 */
import type { LogRecord } from '../../utils/log/record';
import { VANTAGES } from '../../utils/log/record';
import { OUTCOMES } from '../../utils/reach/outcome';
import { lit } from './engine';

export interface RecordFilter {
  /** First hour included, `YYYY-MM-DDTHH:00:00Z`. */
  fromHour?: string;
  /** Last hour included. */
  toHour?: string;
  /** A region code; a country also matches its subdivisions (PK matches PK-IS). */
  region?: string;
  platform?: string;
  outcome?: string;
  vantage?: string;
}

export const FILTER_OPTIONS = ['--from', '--to', '--region', '--platform', '--outcome', '--vantage'] as const;

/**
 * `2026-11-22`, `2026-11`, `2026-11-22T16` or `2026-11-22T16:00:00Z` to an hour. A date alone means its first
 * hour for --from and its last for --to, so `--from 2026-11-01 --to 2026-11-30` is the whole of November.
 */
export function parseHourBound(value: string, end: boolean): string | null {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2})(?:[T ](\d{2})(?::00(?::00)?)?Z?)?)?$/.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h] = m;
  const year = Number(y);
  const month = Number(mo);
  if (month < 1 || month > 12) return null;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const day = d === undefined ? (end ? lastDay : 1) : Number(d);
  if (day < 1 || day > lastDay) return null;
  const hour = h === undefined ? (end ? 23 : 0) : Number(h);
  if (hour > 23) return null;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${y}-${pad(month)}-${pad(day)}T${pad(hour)}:00:00Z`;
}

/** Parses one filter option's value into `filter`; returns an error message or null. */
export function setFilter(filter: RecordFilter, option: string, value: string): string | null {
  switch (option) {
    case '--from':
    case '--to': {
      const hour = parseHourBound(value, option === '--to');
      if (!hour) return `${option} expects a UTC date or hour such as 2026-11-22 or 2026-11-22T16, not ${value}`;
      if (option === '--from') filter.fromHour = hour;
      else filter.toHour = hour;
      return null;
    }
    case '--region':
      if (!/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/.test(value)) return `--region expects an ISO 3166 code such as PK or IN-JK, not ${value}`;
      filter.region = value;
      return null;
    case '--platform':
      filter.platform = value;
      return null;
    case '--outcome':
      if (!(OUTCOMES as readonly string[]).includes(value)) return `--outcome expects one of ${OUTCOMES.join(', ')}`;
      filter.outcome = value;
      return null;
    case '--vantage':
      if (!(VANTAGES as readonly string[]).includes(value)) return `--vantage expects ${VANTAGES.join(' or ')}`;
      filter.vantage = value;
      return null;
    default:
      return `unknown option ${option}`;
  }
}

function regionMatches(filterRegion: string, region: string): boolean {
  return region === filterRegion || (filterRegion.length === 2 && region.startsWith(`${filterRegion}-`));
}

export function recordMatches(filter: RecordFilter, r: LogRecord): boolean {
  return (
    (!filter.fromHour || r.hour >= filter.fromHour) &&
    (!filter.toHour || r.hour <= filter.toHour) &&
    (!filter.region || regionMatches(filter.region, r.region)) &&
    (!filter.platform || r.platform === filter.platform) &&
    (!filter.outcome || r.outcome === filter.outcome) &&
    (!filter.vantage || r.vantage === filter.vantage)
  );
}

/** `hourSql` is a TIMESTAMP expression. */
function hourSqlLit(hour: string): string {
  return `TIMESTAMP ${lit(hour.slice(0, 19).replace('T', ' '))}`;
}

/** The same selection as recordMatches, for a table with the pooled columns (hour as TIMESTAMP). */
export function filterSql(filter: RecordFilter): string {
  const terms = ['TRUE'];
  if (filter.fromHour) terms.push(`hour >= ${hourSqlLit(filter.fromHour)}`);
  if (filter.toHour) terms.push(`hour <= ${hourSqlLit(filter.toHour)}`);
  if (filter.region) terms.push(filter.region.length === 2 ? `(region = ${lit(filter.region)} OR starts_with(region, ${lit(`${filter.region}-`)}))` : `region = ${lit(filter.region)}`);
  if (filter.platform) terms.push(`platform = ${lit(filter.platform)}`);
  if (filter.outcome) terms.push(`outcome = ${lit(filter.outcome)}`);
  if (filter.vantage) terms.push(`vantage = ${lit(filter.vantage)}`);
  return terms.join(' AND ');
}
