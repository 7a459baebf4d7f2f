// The files the tests drop into the page, made once per run by global-setup.ts into a
// temporary folder (FASTTHREAD_E2E_DATA) and removed by global-teardown.ts.
import { closeSync, linkSync, mkdtempSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from './cli';

export const DATA_ENV = 'FASTTHREAD_E2E_DATA';

// A small CSV with one column of each type the page shows.
const PEOPLE_CSV = [
  'id,name,score,active,joined,note',
  '1,Ann,3.5,true,2024-01-05,first',
  '2,"Bob, Jr.",4,false,2024-02-11,NA',
  '3,Cy,1.25,true,2024-03-17,',
  '4,Dee,2,true,2024-04-23,"said ""hi"""',
  '5,Eve,5.75,false,2024-05-29,last',
  '6,Fay,0.5,true,2024-06-30,NA',
  '',
].join('\n');

// Row 7 has one field too many: a bad row, tolerated under the default max_errors.
export const RAGGED_ROW = 7;
const RAGGED_CSV = [
  'id,city,temp',
  ...Array.from({ length: 10 }, (_, i) => (i + 1 === RAGGED_ROW ? `${i + 1},Oslo,4,windy` : `${i + 1},Lima,${18 + i}`)),
  '',
].join('\n');

// Every row has one field where the header has three: a file that is done with 0 rows.
const ALL_BAD_CSV = ['id,name,amount', '1;Ann;3', '2;Bob;4', '3;Cy;5', ''].join('\n');

// A JSON array whose elements after the third are all invalid: more bad rows than the
// default max_errors (100), so the job stops with a parse error at a known row.
const BROKEN_JSON = `[${[...Array(3).fill('{"a":1}'), ...Array(150).fill('{"a":}')].join(',\n')}]\n`;

// Single-digit fields cost the parser the most per byte: a server job of this file parses
// slower than the page uploads it, so it is still parsing well after its upload ended.
function writeSlowCsv(path: string, bytes: number): void {
  const columns = 40;
  let seed = 12345;
  const digit = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % 10; };
  const lines: string[] = [];
  for (let r = 0; r < 4096; r++) lines.push(Array.from({ length: columns }, digit).join(','));
  const block = Buffer.from(`${lines.join('\n')}\n`);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, `${Array.from({ length: columns }, (_, i) => `c${i + 1}`).join(',')}\n`);
    for (let written = 0; written < bytes; written += block.length) writeSync(fd, block);
  } finally {
    closeSync(fd);
  }
}

export interface DataFiles {
  dir: string;
  peopleCsv: string;     // 7 lines
  raggedCsv: string;     // a bad row at RAGGED_ROW
  brokenJson: string;    // fatal: too many bad rows
  allBadCsv: string;     // every row bad: done, 0 rows, 3 bad rows
  accessLog: string;     // ~200 KB, Combined Log Format
  mediumCsv: string;     // 3 MB: over a 0.5 MB threshold
  mediumNdjson: string;  // 3 MB
  mediumLog: string;     // 3 MB
  bigCsv: string;        // 400 MB: runs long enough to cancel in the middle
  slowCsv: string;       // 100 MB of one-digit fields: parses slower than it uploads
  // Links to bigCsv under other names, for several long browser jobs at once.
  bigCopies: string[];
}

export function dataFiles(dir: string): DataFiles {
  return {
    dir,
    peopleCsv: join(dir, 'people.csv'),
    raggedCsv: join(dir, 'ragged.csv'),
    brokenJson: join(dir, 'broken.json'),
    allBadCsv: join(dir, 'all-bad.csv'),
    accessLog: join(dir, 'access.log'),
    mediumCsv: join(dir, 'medium.csv'),
    mediumNdjson: join(dir, 'medium.ndjson'),
    mediumLog: join(dir, 'medium-access.log'),
    bigCsv: join(dir, 'big.csv'),
    slowCsv: join(dir, 'slow.csv'),
    bigCopies: Array.from({ length: 8 }, (_, i) => join(dir, `big-${i + 1}.csv`)),
  };
}

export async function makeDataFiles(): Promise<DataFiles> {
  const files = dataFiles(mkdtempSync(join(tmpdir(), 'fastthread-e2e-files-')));
  writeFileSync(files.peopleCsv, PEOPLE_CSV);
  writeFileSync(files.raggedCsv, RAGGED_CSV);
  writeFileSync(files.brokenJson, BROKEN_JSON);
  writeFileSync(files.allBadCsv, ALL_BAD_CSV);
  await Promise.all([
    generate('access-log', '200k', files.accessLog, 3),
    generate('mixed-csv', '3M', files.mediumCsv, 4),
    generate('ndjson', '3M', files.mediumNdjson, 5),
    generate('access-log', '3M', files.mediumLog, 6),
  ]);
  await generate('numeric-csv', '400M', files.bigCsv, 7);
  writeSlowCsv(files.slowCsv, 100_000_000);
  for (const copy of files.bigCopies) linkSync(files.bigCsv, copy);
  return files;
}

// ---- files with long values, made in a test's scratch folder ----

// About `bytes` bytes of UTF-8 made of what a read cut into pieces can break: quotes,
// commas, line breaks, and characters of 2, 3 and 4 bytes (the last a surrogate pair in
// JavaScript).
export function longText(bytes: number): string {
  const unit = 'Z\u00fcrich "quoted", \u20ac \u{1F600} line\nnext ';
  return unit.repeat(Math.ceil(bytes / Buffer.byteLength(unit)));
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export interface LongFieldFile { path: string; long: string; word: string }

// Two rows; the first's `note` is a 10 MB field, and both have the same `word` of 300
// characters with no space in it (a top value longer than a card is wide).
export function writeLongFieldCsv(dir: string): LongFieldFile {
  const long = longText(10 * 1024 * 1024);
  const word = 'w'.repeat(150) + '0123456789'.repeat(15);
  const path = join(dir, 'long-field.csv');
  writeFileSync(path, `id,note,joined,word\n1,${csvField(long)},2024-01-05,${word}\n2,short,2024-03-09,${word}\n`);
  return { path, long, word };
}

// Rows of 7,000,000 characters each: the first two fit in the preview's 16 MB, the third
// does not.
export function writeRowsPastCap(dir: string): string {
  const path = join(dir, 'past-cap.csv');
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, 'id,text\n');
    for (const [i, letter] of ['a', 'b', 'c'].entries()) writeSync(fd, `${i + 1},${letter.repeat(7_000_000)}\n`);
  } finally {
    closeSync(fd);
  }
  return path;
}

// 100,000 rows whose statistics are all sketched: `id` has more different values than the
// exact distinct set keeps (a HyperLogLog estimate), its quantiles and histogram are
// approximate, and `kind`'s two leaders only arrive after 50,000 rows of 20,000 other
// values, so the Space-Saving counts they get carry an error.
export function writeSketchedCsv(dir: string): string {
  const path = join(dir, 'sketched.csv');
  let seed = 7;
  const random = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
  const pad = (n: number) => String(n).padStart(2, '0');
  const lines = ['id,kind,t'];
  for (let i = 0; i < 100_000; i++) {
    const x = i >= 50_000 ? random() : 1;
    const kind = x < 0.4 ? 'alpha' : x < 0.6 ? 'beta' : `k${Math.floor(random() * 20_000)}`;
    const t = `2024-${pad(1 + Math.floor(random() * 12))}-${pad(1 + Math.floor(random() * 28))}T${pad(Math.floor(random() * 24))}:${pad(Math.floor(random() * 60))}:00Z`;
    lines.push(`${(i * 7919) % 1_000_003},${kind},${t}`);
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}
