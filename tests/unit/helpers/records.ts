import type { LogRecord } from '../../../utils/log/record';

/** A valid log record (an X widget script reset in Pakistan) with whatever the test overrides. */
export function sampleRecord(overrides: Partial<LogRecord> = {}): LogRecord {
  return {
    schema: 'banlens.reachability/1',
    id: crypto.randomUUID(),
    hour: '2026-11-22T16:00:00Z',
    region: 'PK',
    platform: 'x',
    host: 'platform.twitter.com',
    resource: 'script',
    vantage: 'passive',
    outcome: 'tcp_reset',
    error: 'net::ERR_CONNECTION_RESET',
    http_status: null,
    ms_bucket: 100,
    count: 1,
    restricted: true,
    browser: 'chromium/156',
    extension: '0.1.0',
    dataset: '2026.11.22',
    ...overrides,
  };
}
