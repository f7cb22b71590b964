// duckdb_family.mjs - the peer for bench/evaluate: loads the registry and the year's records
// from CSV files (exported from the same SQLite database) into DuckDB in memory, then runs
// bench/family.sql. Prints one JSON object: load and query times, eligible, recognised.
//   node bench/duckdb_family.mjs CSV_DIR YEAR PROV REPEAT
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const [dir, year, prov, repeat = '3'] = process.argv.slice(2);
const here = dirname(fileURLToPath(import.meta.url));
const sql = readFileSync(join(here, 'family.sql'), 'utf8')
  .replaceAll('{Y}', year)
  .replaceAll('{PROV}', prov);
const tables = ['households', 'household_places', 'persons', 'person_years', 'records'];

const instance = await DuckDBInstance.create(':memory:');
const db = await instance.connect();
let t = performance.now();
for (const name of tables) {
  const file = join(dir, name + '.csv').replaceAll("'", "''");
  await db.run(`CREATE TABLE ${name} AS SELECT * FROM read_csv('${file}', header = true,
    nullstr = '\\N', sample_size = -1)`);
}
const loadS = (performance.now() - t) / 1000;
const times = [];
let row;
for (let i = 0; i < Number(repeat); i++) {
  t = performance.now();
  const reader = await db.runAndReadAll(sql);
  times.push((performance.now() - t) / 1000);
  row = reader.getRows()[0];
}
times.sort((a, b) => a - b);
console.log(JSON.stringify({
  load_s: loadS,
  query_s_median: times[Math.floor(times.length / 2)],
  query_s_min: times[0],
  eligible: Number(row[0]),
  recognised: Number(row[1]),
  version: String((await db.runAndReadAll('SELECT version()')).getRows()[0][0]),
  threads: Number((await db.runAndReadAll("SELECT current_setting('threads')")).getRows()[0][0]),
}));
