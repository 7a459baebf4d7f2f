#!/usr/bin/env node
// What a big browser job costs the tab: one built page (or several, one after the other in
// one session) parses one generated file in the browser (route mode browser, CSV -> NDJSON)
// while this script samples, every 200 ms, the summed RSS and PSS of every process of the
// launched Chromium (from /proc) and the page's main-thread JS heap (CDP
// Performance.getMetrics) with its array buffers (Runtime.getHeapUsage). Prints a Markdown table of the peaks (and the idle values just
// before the file is given) and the times, from giving the file to the row being done.
//
// Usage: node bench/page-memory.mjs --page NAME=DIST [--page NAME=DIST ...]
//          [--run NAME:SIZE ...] [--size 500MB] [--kind mixed-csv] [--build DIR] [--json FILE]
// Without --run, every page runs every --size. SIZE is the generator's (500MB, 1GB, 1GiB).
// Needs the native build (the server and the generator) and Playwright: bench/ or e2e/
// node_modules (npm --prefix bench ci, or npm --prefix e2e ci).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: opt } = parseArgs({
  options: {
    page: { type: 'string', multiple: true, default: [`after=${join(repo, 'frontend', 'dist')}`] },
    run: { type: 'string', multiple: true, default: [] },
    size: { type: 'string', multiple: true, default: ['500MB'] },
    kind: { type: 'string', default: 'mixed-csv' },
    build: { type: 'string', default: join(repo, 'build') },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
    'every-ms': { type: 'string', default: '200' },
    'timeout-s': { type: 'string', default: '900' },
    json: { type: 'string' },
  },
});
const everyMs = Number(opt['every-ms']);
const binary = join(opt.build, 'release/native/fastthread');
const generator = join(opt.build, 'release/bench/fastthread-generate');
const pages = new Map(opt.page.map((p) => {
  const at = p.indexOf('=');
  if (at < 1) fail(`--page wants NAME=DIST, got '${p}'`);
  return [p.slice(0, at), resolve(p.slice(at + 1))];
}));
const runs = opt.run.length
  ? opt.run.map((r) => { const [name, size] = r.split(':'); return { name, size }; })
  : [...pages.keys()].flatMap((name) => opt.size.map((size) => ({ name, size })));
for (const [what, path] of [['native program', binary], ['generator', generator]]) {
  if (!existsSync(path)) fail(`no ${what} at ${path} (--build DIR)`);
}
for (const { name } of runs) {
  if (!pages.has(name)) fail(`--run names page '${name}', which no --page gives`);
  if (!existsSync(join(pages.get(name), 'index.html'))) fail(`no built page at ${pages.get(name)}`);
}
const { chromium } = await loadPlaywright();

// The files, generated once into bench/data (as bench/browser.mjs does).
const dataDir = join(repo, 'bench', 'data');
mkdirSync(dataDir, { recursive: true });
const inputs = new Map();
for (const size of new Set(runs.map((r) => r.size))) {
  const path = join(dataDir, `${opt.kind}-${size}.csv`);
  if (!existsSync(path) || statSync(path).size === 0) {
    const made = spawnSync(generator, [opt.kind, size, '-o', path], { stdio: 'inherit' });
    if (made.status !== 0) fail(`the generator failed for ${opt.kind} ${size}`);
  }
  inputs.set(size, path);
}

const results = [];
for (const run of runs) {
  const result = await measure(pages.get(run.name), inputs.get(run.size));
  results.push({ page: run.name, size: run.size, ...result });
  const { samples: _samples, ...summary } = result;
  process.stderr.write(`${run.name} ${run.size}: ${JSON.stringify(summary)}\n`);
}

const version = spawnSync(opt.chromium, ['--version'], { encoding: 'utf8' }).stdout.trim();
console.log(`\n${version}; ${opt.kind}, route mode browser, CSV -> NDJSON; samples every ${everyMs} ms\n`);
console.log('| page | input | state | output | time | browser RSS (sum) | browser PSS (sum) | renderers RSS (sum) | tab RSS | main-thread JS heap | main-thread array buffers |');
console.log('|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of results) {
  console.log(`| ${r.page} | ${mb(r.inputBytes)} | ${r.state} | ${r.output ?? '–'} | ${(r.ms / 1000).toFixed(1)} s ` +
    `| ${mb(r.peak.rss)} (idle ${mb(r.idle.rss)}) | ${mb(r.peak.pss)} (idle ${mb(r.idle.pss)}) ` +
    `| ${mb(r.peak.renderers)} (idle ${mb(r.idle.renderers)}) | ${mb(r.peak.tab)} (idle ${mb(r.idle.tab)}) ` +
    `| ${mb(r.peak.heap)} (idle ${mb(r.idle.heap)}) | ${mb(r.peak.buffers)} (idle ${mb(r.idle.buffers)}) |`);
}
if (opt.json) writeFileSync(opt.json, JSON.stringify({ chromium: version, kind: opt.kind, results }, null, 2));

// One page, one file, a fresh browser with a profile on disk: a persistent profile keeps
// the origin private file system in files, as a person's browser does (an incognito-like
// context would keep it in memory).
async function measure(dist, input) {
  const scratch = mkdtempSync(join(tmpdir(), 'fastthread-page-memory-'));
  const profile = join(scratch, 'profile');
  let server = null;
  let context = null;
  try {
    server = await startServer(dist, join(scratch, 'data'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: opt.chromium, headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = context.pages()[0] ?? await context.newPage();
    page.on('pageerror', (e) => process.stderr.write(`page error: ${e.message}\n`));
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.goto(server.url);
    await page.locator('#route-mode').selectOption('browser');
    await page.locator('#output-format').selectOption('ndjson');
    const root = browserPid(profile);
    const sample = async () => ({ ...processMemory(root), ...(await jsHeap(cdp)) });
    await page.waitForTimeout(1000);
    const idle = await sample();
    const peak = { ...idle };
    let sampling = true;
    let started = performance.now();
    const samples = [];  // for --json: [ms since the file was given, tab RSS, browser PSS]
    const sampler = (async () => {
      while (sampling) {
        const s = await sample().catch(() => null);
        if (s) for (const key of Object.keys(peak)) peak[key] = Math.max(peak[key], s[key]);
        if (s) samples.push([Math.round(performance.now() - started), s.tab, s.pss]);
        await new Promise((done) => setTimeout(done, everyMs));
      }
    })();
    started = performance.now();
    await page.locator('#file-input').setInputFiles(input);
    const row = page.locator('[data-testid=job-row]');
    await row.and(page.locator('[data-state=done], [data-state=failed], [data-state=cancelled]'))
      .waitFor({ timeout: Number(opt['timeout-s']) * 1000 });
    const ms = performance.now() - started;
    const state = await row.getAttribute('data-state');
    // What the finish leaves behind (the output's Blob, a collection) counts too.
    await page.waitForTimeout(3000);
    sampling = false;
    await sampler;
    // The results of the first finished file open by themselves; their facts name the output.
    const output = state === 'done'
      ? await page.locator('.facts dt:text-is("output") + dd').textContent({ timeout: 10_000 }).catch(() => null)
      : null;
    return { inputBytes: statSync(input).size, state, ms, output, idle, peak, samples };
  } finally {
    await context?.close();
    await server?.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

// The main thread's V8 heap in use, and the array buffers' backing stores, which live
// outside it (Runtime.getHeapUsage; 0 where the browser does not report them).
async function jsHeap(cdp) {
  const [{ metrics }, usage] = await Promise.all([cdp.send('Performance.getMetrics'), cdp.send('Runtime.getHeapUsage')]);
  return { heap: metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0, buffers: usage.backingStorageSize ?? 0 };
}

// The launched Chromium: the process whose command line names this run's profile and whose
// parent is not a Chromium of the same profile.
function browserPid(profile) {
  const all = processes();
  const mine = all.filter((p) => p.cmdline.includes(`--user-data-dir=${profile}`));
  const root = mine.find((p) => !mine.some((q) => q.pid === p.ppid));
  if (!root) fail(`no Chromium process with --user-data-dir=${profile}`);
  return root.pid;
}

// RSS and PSS summed over the browser process and all its descendants (zygotes, renderers,
// utilities), RSS of the renderers alone, and of the biggest renderer: the tab, which runs
// the page and its Web Workers (the others are a spare and the service worker's).
function processMemory(rootPid) {
  const all = processes();
  const family = new Set([rootPid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of all) if (!family.has(p.pid) && family.has(p.ppid)) { family.add(p.pid); grew = true; }
  }
  let rss = 0, pss = 0, renderers = 0, tab = 0;
  for (const p of all) {
    if (!family.has(p.pid)) continue;
    const m = memoryOf(p.pid);
    rss += m.rss;
    pss += m.pss;
    if (p.cmdline.includes('--type=renderer')) {
      renderers += m.rss;
      tab = Math.max(tab, m.rss);
    }
  }
  return { rss, pss, renderers, tab };
}

function processes() {
  const found = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ');
      found.push({ pid: Number(name), ppid, cmdline });
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

function memoryOf(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
    return { rss: kb('Rss'), pss: kb('Pss') };
  } catch {
    return { rss: 0, pss: 0 };
  }
}

async function startServer(dist, dataDir) {
  mkdirSync(dataDir, { recursive: true });
  const child = spawn(binary, ['serve', '--host', '127.0.0.1', '--port', '0', '--workers', '1',
    '--static-dir', dist, '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise((done, reject) => {
    let seen = '';
    child.stdout.on('data', (chunk) => {
      seen += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(seen);
      if (match) done(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`fastthread serve exited (${code}) before listening`)));
  });
  child.stderr.resume();
  process.once('exit', () => child.kill('SIGKILL'));
  return {
    url,
    stop: () => new Promise((done) => {
      if (child.exitCode !== null) return done();
      child.once('exit', done);
      child.kill('SIGKILL');
    }),
  };
}

async function loadPlaywright() {
  for (const where of ['bench', 'e2e']) {
    try {
      const path = createRequire(join(repo, where, 'package.json')).resolve('playwright-core');
      const module = await import(pathToFileURL(path).href);
      return module.chromium ? module : module.default;
    } catch {
      // Not installed there; try the next.
    }
  }
  fail('no playwright-core: npm --prefix bench ci (or npm --prefix e2e ci)');
}

function mb(bytes) {
  return `${Math.round(bytes / 1048576)} MB`;
}

function fail(message) {
  console.error(`page-memory: ${message}`);
  process.exit(2);
}
