// Generates utils/region/timezones.json from the system tzdata (zone1970.tab, zone.tab and backward links),
// so region inference needs no network and no library. Run: npx tsx scripts/gen-timezones.ts
import { readFileSync, writeFileSync } from 'node:fs';

const dir = '/usr/share/zoneinfo';
const zones: Record<string, string[]> = {};
const add = (zone: string, ccs: string[]) => {
  zones[zone] ??= [];
  const list = zones[zone]!;
  for (const cc of ccs) if (!list.includes(cc)) list.push(cc);
};
// zone.tab names the principal country first; zone1970.tab adds the others sharing the zone.
for (const file of ['zone.tab', 'zone1970.tab']) {
  for (const line of readFileSync(`${dir}/${file}`, 'utf8').split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const [ccs, , zone] = line.split('\t');
    if (ccs && zone) add(zone, ccs.split(','));
  }
}
// Links (Asia/Calcutta -> Asia/Kolkata): browsers' ICU often reports the old name.
for (const line of readFileSync(`${dir}/tzdata.zi`, 'utf8').split('\n')) {
  const m = /^L (\S+) (\S+)$/.exec(line);
  if (m && zones[m[1]!] && !zones[m[2]!]) zones[m[2]!] = [...zones[m[1]!]!];
}
const countries: Record<string, string> = {};
for (const line of readFileSync(`${dir}/iso3166.tab`, 'utf8').split('\n')) {
  if (!line || line.startsWith('#')) continue;
  const [cc, name] = line.split('\t');
  if (cc && name) countries[cc] = name;
}
const sorted = Object.fromEntries(Object.entries(zones).sort(([a], [b]) => a.localeCompare(b)));
writeFileSync('utils/region/timezones.json', `${JSON.stringify({ zones: sorted })}\n`);
writeFileSync('utils/region/countries.json', `${JSON.stringify(Object.keys(countries).sort())}\n`);
console.log(Object.keys(sorted).length, 'zones', Object.keys(countries).length, 'countries');
