// The browser benchmark page. Files come from `?file=URL` (repeatable) or the file input;
// every engine runs on every file, repeats interleaved (file by file, one run of each engine
// per round), and the table shows the best and the median MB/s. bench/browser.mjs drives
// the same functions through window.__bench, so that it can put the native program's runs
// between the page's.
import { DEFAULT_SLICE_BYTES } from '../local/worker-messages';
import { ENGINES, JsRunner, WasmRunner, jsEngineFor, type Engine, type Run } from './engines';

export interface Measurement { file: string; bytes: number; engine: Engine; round: number; ms: number; mbps: number; rows: number; process_ms: number | null }
export interface Line { file: string; bytes: number; engine: Engine; best_mbps: number; median_mbps: number; best_ms: number; runs: number; rows: number }
export interface BenchResults { state: 'idle' | 'running' | 'done' | 'failed'; error: string | null; runs: Measurement[]; lines: Line[] }

const params = new URLSearchParams(location.search);
const sliceBytes = Number(params.get('slice') ?? DEFAULT_SLICE_BYTES);
const chunkBytes = Number(params.get('chunk') ?? 10 * 1024 * 1024);  // PapaParse's own default

const files = new Map<string, Blob>();
const results: BenchResults = { state: 'idle', error: null, runs: [], lines: [] };
let wasm: WasmRunner | null = null;
let js: JsRunner | null = null;

async function load(url: string): Promise<{ name: string; bytes: number }> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const blob = await response.blob();
  const name = decodeURIComponent(new URL(url, location.href).pathname.split('/').pop() ?? url);
  files.set(name, blob);
  return { name, bytes: blob.size };
}

function forget(name: string): boolean {
  return files.delete(name);
}

// One timed run of `engine` on a loaded file; the first run of each engine on a page also
// compiles the module or warms the JIT on the file's first megabyte, untimed.
const warmed = new Set<Engine>();
async function run(name: string, engine: Engine, round = 0): Promise<Measurement> {
  const file = files.get(name);
  if (!file) throw new Error(`no file '${name}' loaded`);
  if (!warmed.has(engine)) {
    warmed.add(engine);
    await runOnce(engine, await wholeLines(file, 1 << 20), name);
  }
  const r = await runOnce(engine, file, name);
  const m: Measurement = {
    file: name, bytes: file.size, engine, round, ms: r.ms, mbps: file.size / 1e6 / (r.ms / 1000), rows: r.rows, process_ms: r.processMs,
  };
  results.runs.push(m);
  results.lines = summarise(results.runs);
  render();
  return m;
}

// The file's first lines, up to `bytes`: a warm-up run must not end inside a record.
async function wholeLines(file: Blob, bytes: number): Promise<Blob> {
  const head = new Uint8Array(await file.slice(0, bytes).arrayBuffer());
  const end = head.lastIndexOf(0x0a);
  return file.slice(0, end >= 0 ? end + 1 : head.length);
}

function runOnce(engine: Engine, file: Blob, name: string): Promise<Run> {
  if (engine === 'wasm-none' || engine === 'wasm-ndjson') {
    wasm ??= new WasmRunner(sliceBytes);
    return wasm.run(engine, file, name);
  }
  js ??= new JsRunner(chunkBytes);
  return js.run(engine, file, name);
}

function summarise(runs: Measurement[]): Line[] {
  const groups = new Map<string, Measurement[]>();
  for (const m of runs) {
    const key = `${m.file}\u0000${m.engine}`;
    groups.set(key, [...(groups.get(key) ?? []), m]);
  }
  return [...groups.values()].map((g) => {
    const speeds = g.map((m) => m.mbps).sort((a, b) => a - b);
    const mid = speeds.length >> 1;
    const median = speeds.length % 2 ? speeds[mid]! : (speeds[mid - 1]! + speeds[mid]!) / 2;
    const best = g.reduce((a, b) => (b.ms < a.ms ? b : a));
    return { file: best.file, bytes: best.bytes, engine: best.engine, best_mbps: best.mbps, median_mbps: median, best_ms: best.ms, runs: g.length, rows: best.rows };
  });
}

async function runAll(names: string[], repeat: number, engines: (name: string) => Engine[]): Promise<void> {
  results.state = 'running';
  setStatus(`running ${names.length} file(s), ${repeat} round(s)…`);
  try {
    for (const name of names) {
      for (let round = 0; round < repeat; round++) {
        for (const engine of engines(name)) await run(name, engine, round);
      }
    }
    results.state = 'done';
    setStatus('done');
  } catch (error) {
    results.state = 'failed';
    results.error = error instanceof Error ? error.message : String(error);
    setStatus(results.error, true);
  }
}

function enginesFor(name: string): Engine[] {
  const listed = params.get('engines');
  if (listed) return listed.split(',').map((e) => (e === 'js' ? jsEngineFor(name) : e)).filter(isEngine);
  return ['wasm-none', 'wasm-ndjson', jsEngineFor(name)];
}

function isEngine(e: string): e is Engine {
  return (ENGINES as readonly string[]).includes(e);
}

function setStatus(text: string, failed = false): void {
  const status = document.getElementById('status')!;
  status.textContent = text;
  status.className = failed ? 'failed' : '';
}

function render(): void {
  const table = document.getElementById('results') as HTMLTableElement;
  table.hidden = false;
  const body = table.tBodies[0]!;
  body.replaceChildren(...results.lines.map((l) => {
    const tr = document.createElement('tr');
    const cells: [string, boolean][] = [
      [l.file, false], [(l.bytes / 1e6).toFixed(0), true], [l.engine, false], [l.best_mbps.toFixed(1), true],
      [l.median_mbps.toFixed(1), true], [(l.best_ms / 1000).toFixed(2), true], [String(l.runs), true], [String(l.rows), true],
    ];
    for (const [text, numeric] of cells) {
      const td = document.createElement('td');
      td.textContent = text;
      if (numeric) td.className = 'n';
      tr.append(td);
    }
    return tr;
  }));
}

function repeatCount(): number {
  return Math.max(1, Number((document.getElementById('repeat') as HTMLInputElement).value) || 1);
}

document.getElementById('run')!.addEventListener('click', () => {
  const picked = [...((document.getElementById('files') as HTMLInputElement).files ?? [])];
  for (const f of picked) files.set(f.name, f);
  void runAll(picked.length ? picked.map((f) => f.name) : [...files.keys()], repeatCount(), enginesFor);
});

declare global {
  interface Window {
    __bench: { load: typeof load; forget: typeof forget; run: typeof run; sliceBytes: number; chunkBytes: number };
    __benchResults: BenchResults;
  }
}
window.__bench = { load, forget, run, sliceBytes, chunkBytes };
window.__benchResults = results;

const urls = params.getAll('file');
if (params.has('repeat')) (document.getElementById('repeat') as HTMLInputElement).value = params.get('repeat')!;
if (urls.length > 0 && params.get('driver') !== '1') {
  setStatus('loading…');
  Promise.all(urls.map(load)).then(
    (loaded) => runAll(loaded.map((f) => f.name), repeatCount(), enginesFor),
    (error: unknown) => { results.state = 'failed'; results.error = String(error); setStatus(results.error, true); },
  );
}
