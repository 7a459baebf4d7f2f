#!/usr/bin/env node
// The browser benchmark: the WebAssembly core in headless Chromium (frontend/bench.html,
// through the browser's pool, one Web Worker) next to PapaParse or plain JavaScript in a
// Web Worker, and the native `fastthread parse --to none` on one core, on the same files
// bench/run.sh generates. The runs are interleaved (per file and round: native, then each
// page engine) so that a busy machine slows them all alike. Prints a Markdown table.
//
// Usage: node bench/browser.mjs [--size 100MB] [--repeat 3] [--build DIR] [--slice BYTES]
//        [--chunk BYTES] [--kinds mixed-csv,numeric-csv,ndjson,access-log] [--json FILE]
// Needs the built page (npm --prefix frontend run build) and `npm --prefix bench ci`.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
import { cpus, hostname, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: opt } = parseArgs({
  options: {
    size: { type: 'string', default: '100MB' },
    repeat: { type: 'string', default: '3' },
    build: { type: 'string', default: join(repo, 'build') },
    dist: { type: 'string', default: join(repo, 'frontend', 'dist') },
    slice: { type: 'string' },
    chunk: { type: 'string' },
    kinds: { type: 'string', default: 'mixed-csv,numeric-csv,ndjson,access-log' },
    engines: { type: 'string', default: 'wasm-none,wasm-ndjson,js' },
    json: { type: 'string' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
  },
});
const repeat = Number(opt.repeat);
const binary = join(opt.build, 'release/native/fastthread');
const generator = join(opt.build, 'release/bench/fastthread-generate');
for (const [what, path] of [['native program', binary], ['generator', generator], ['built page', join(opt.dist, 'bench.html')]]) {
  if (!existsSync(path)) fail(`no ${what} at ${path}`);
}

// The same files as bench/run.sh, generated once.
const dataDir = join(repo, 'bench', 'data');
mkdirSync(dataDir, { recursive: true });
const files = opt.kinds.split(',').map((kind) => {
  const ext = kind === 'ndjson' ? 'ndjson' : kind === 'access-log' ? 'log' : 'csv';
  const path = join(dataDir, `${kind}-${opt.size}.${ext}`);
  if (!existsSync(path) || statSync(path).size === 0) run(generator, [kind, opt.size, '-o', path]);
  return { kind, path, name: `${kind}-${opt.size}.${ext}`, bytes: statSync(path).size };
});

// The server serves one folder and refuses symlinks that leave it: a copy of the built page
// with the data files hard-linked (or copied) beside it.
const www = mkdtempSync(join(dataDir, 'www-'));
const spool = mkdtempSync(join(tmpdir(), 'fastthread-bench-'));
cpSync(opt.dist, www, { recursive: true });
mkdirSync(join(www, 'data'));
for (const f of files) {
  try { linkSync(f.path, join(www, 'data', f.name)); } catch { copyFileSync(f.path, join(www, 'data', f.name)); }
}

let server = null;
let browser = null;
const cleanup = () => {
  if (server && server.exitCode === null) server.kill('SIGKILL');
  rmSync(www, { recursive: true, force: true });
  rmSync(spool, { recursive: true, force: true });
};
process.on('exit', cleanup);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

try {
  const base = await startServer();
  browser = await chromium.launch({
    executablePath: opt.chromium,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage();
  page.on('console', (m) => { if (m.type() === 'error') process.stderr.write(`page: ${m.text()}\n`); });
  page.on('pageerror', (e) => process.stderr.write(`page error: ${e.message}\n`));
  const query = new URLSearchParams({ driver: '1' });
  if (opt.slice) query.set('slice', opt.slice);
  if (opt.chunk) query.set('chunk', opt.chunk);
  await page.goto(`${base}/bench.html?${query}`);
  await page.waitForFunction(() => window.__bench !== undefined);
  const settings = { ...await page.evaluate(() => ({ slice: window.__bench.sliceBytes, chunk: window.__bench.chunkBytes })), chromium: browser.version() };

  const rows = [];
  for (const f of files) {
    const loaded = await page.evaluate((url) => window.__bench.load(url), `${base}/data/${f.name}`);
    if (loaded.bytes !== f.bytes) fail(`${f.name}: the page got ${loaded.bytes} bytes, the file has ${f.bytes}`);
    readFileSync(f.path);  // into the page cache before the native runs
    const engines = opt.engines.split(',').map((e) => (e === 'js' ? jsEngineFor(f.name) : e));
    const runs = { native: [] };
    const inside = {};  // seconds inside the worker, without the hand-over to and from the page
    for (const e of engines) runs[e] = [];
    for (let round = 0; round < repeat; round++) {
      runs.native.push(timeNative(f.path));
      for (const e of engines) {
        const m = await page.evaluate(([name, engine, r]) => window.__bench.run(name, engine, r), [f.name, e, round]);
        runs[e].push(m.ms / 1000);
        inside[e] = [...(inside[e] ?? []), m.process_ms / 1000];
      }
      process.stderr.write(`${f.name} round ${round + 1}/${repeat}: ${Object.entries(runs).map(([e, s]) => `${e} ${mbps(f.bytes, s.at(-1))}`).join(', ')}\n`);
    }
    await page.evaluate((name) => window.__bench.forget(name), f.name);
    rows.push({ file: f.kind, bytes: f.bytes, js: engines.find((e) => !e.startsWith('wasm')) ?? null, runs, inside });
  }
  print(rows, settings);
  if (opt.json) writeFileSync(opt.json, JSON.stringify({ size: opt.size, repeat, settings, rows }, null, 2));
} finally {
  if (browser) await browser.close();
  await stopServer();
}

function jsEngineFor(name) {
  if (name.endsWith('.ndjson')) return 'json-lines';
  if (name.endsWith('.log')) return 'regex-lines';
  return 'papa-step';
}

// Seconds of one `fastthread parse --to none` in a fresh process, as bench/bench.py runs it.
function timeNative(path) {
  const started = process.hrtime.bigint();
  run(binary, ['parse', path, '--to', 'none', '--summary', '/dev/null', '-q']);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

function run(program, args) {
  const r = spawnSync(program, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) fail(`${program} ${args.join(' ')} failed: ${r.stderr?.toString() ?? r.error}`);
}

function startServer() {
  return new Promise((resolveBase, reject) => {
    server = spawn(binary, ['serve', '--host', '127.0.0.1', '--port', '0', '--workers', '1',
      '--static-dir', www, '--data-dir', spool], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolveBase(m[1].replace(/\/$/, ''));
    });
    server.stderr.on('data', (chunk) => { err += chunk; });
    server.on('exit', (code) => reject(new Error(`the server stopped (${code}) before listening: ${err}`)));
  });
}

async function stopServer() {
  if (!server || server.exitCode !== null) return;
  const exited = new Promise((done) => server.on('exit', done));
  server.kill('SIGTERM');
  const timer = setTimeout(() => server.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

function best(seconds) { return Math.min(...seconds); }
function mbps(bytes, seconds) { return (bytes / 1e6 / seconds).toFixed(0); }

function print(rows, settings) {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(`Machine: ${hostname()}, ${cpus().length} cores, ${cpu}; Chromium ${settings.chromium} headless; Node ${process.versions.node}`);
  console.log(`MB/s with MB = 10^6 bytes, best of ${repeat} interleaved rounds; page engines timed on the page from job handed over to answer back; ` +
    `wasm slices ${settings.slice} bytes, JavaScript chunks ${settings.chunk} bytes`);
  console.log();
  console.log('| file | MB | native --to none | wasm none | wasm ndjson | JavaScript contender | JS MB/s | wasm none / JS | wasm none / native |');
  console.log('|---|---:|---:|---:|---:|---|---:|---:|---:|');
  for (const r of rows) {
    const native = best(r.runs.native);
    const none = r.runs['wasm-none'] ? best(r.runs['wasm-none']) : null;
    const ndjson = r.runs['wasm-ndjson'] ? best(r.runs['wasm-ndjson']) : null;
    const js = r.js ? best(r.runs[r.js]) : null;
    const cell = (s) => (s === null ? '–' : mbps(r.bytes, s));
    const ratio = (a, b) => (a === null || b === null ? '–' : `${(b / a).toFixed(2)}x`);
    console.log(`| ${r.file} | ${(r.bytes / 1e6).toFixed(0)} | ${cell(native)} | ${cell(none)} | ${cell(ndjson)} | ${r.js ?? '–'} | ${cell(js)} | ${ratio(none, js)} | ${ratio(none, native)} |`);
  }
}

function fail(message) {
  process.stderr.write(`bench/browser.mjs: ${message}\n`);
  process.exit(1);
}
