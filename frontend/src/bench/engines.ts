// The contenders of the browser benchmark, each timed on the page's thread from the moment
// the job is handed over to the moment its answer is back: the WebAssembly core through the
// browser's real host (LocalPool, one Web Worker), and the JavaScript contenders in a Web
// Worker of their own (js-worker.ts).
import { LocalPool } from '../local/pool';
import type { HostMessage } from '../protocol';
import type { JsEngine, JsResult, JsRun } from './js-messages';

export type WasmEngine = 'wasm-none' | 'wasm-ndjson';
export type Engine = WasmEngine | JsEngine;
export const ENGINES: readonly Engine[] = ['wasm-none', 'wasm-ndjson', 'papa-chunk', 'papa-step', 'json-lines', 'regex-lines'];

export interface Run { rows: number; ms: number; processMs: number | null }

// The JavaScript contender that fits a file: PapaParse for CSV, JSON.parse per line for
// NDJSON, a regular expression per line for access logs (as in bench/bench.py). PapaParse
// with a `step` callback: measured faster than `chunk` here (chunk builds every row
// object of a 10 MB chunk before the callback sees them).
export function jsEngineFor(name: string): JsEngine {
  if (name.endsWith('.ndjson') || name.endsWith('.jsonl')) return 'json-lines';
  if (name.endsWith('.log')) return 'regex-lines';
  return 'papa-step';
}

export class WasmRunner {
  private readonly pool: LocalPool;
  private readonly waiting = new Map<string, (message: HostMessage) => void>();
  private next = 0;

  constructor(sliceBytes: number) {
    this.pool = new LocalPool({ workers: 1, sliceBytes });
    this.pool.onMessage((message) => {
      if ('id' in message && (message.op === 'finish' || message.op === 'error' || message.op === 'cancel')) {
        this.waiting.get(message.id)?.(message);
      }
    });
  }

  run(engine: WasmEngine, file: Blob, name: string): Promise<Run> {
    const id = `bench-${this.next++}`;
    const to = engine === 'wasm-none' ? 'none' : 'ndjson';
    return new Promise((resolve, reject) => {
      this.waiting.set(id, (message) => {
        const ms = performance.now() - started;
        this.waiting.delete(id);
        this.pool.release(id);
        if (message.op !== 'finish') {
          reject(new Error(`${engine} on ${name}: ${message.op === 'error' ? `${message.code}: ${message.message}` : 'cancelled'}`));
        } else if (message.summary.status !== 'done') {
          reject(new Error(`${engine} on ${name}: status ${message.summary.status}`));
        } else {
          resolve({ rows: message.summary.rows, ms, processMs: message.timings.process_ms });
        }
      });
      const started = performance.now();
      this.pool.start({ op: 'start', id, name, size: file.size, options: { to }, priority: 0 }, file);
    });
  }

  terminate(): void {
    this.pool.terminate();
  }
}

export class JsRunner {
  private readonly worker = new Worker(new URL('./js-worker.ts', import.meta.url), { type: 'module', name: 'bench-js' });
  private readonly waiting = new Map<number, (result: JsResult) => void>();
  private next = 0;

  constructor(private readonly chunkBytes: number) {
    this.worker.onmessage = (event: MessageEvent<JsResult>) => this.waiting.get(event.data.id)?.(event.data);
  }

  run(engine: JsEngine, file: Blob, name: string): Promise<Run> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, (result) => {
        const ms = performance.now() - started;
        this.waiting.delete(id);
        if (result.ok) resolve({ rows: result.rows, ms, processMs: result.ms });
        else reject(new Error(`${engine} on ${name}: ${result.message}`));
      });
      const started = performance.now();
      const message: JsRun = { id, engine, file, chunkBytes: this.chunkBytes };
      this.worker.postMessage(message);
    });
  }

  terminate(): void {
    this.worker.terminate();
  }
}
