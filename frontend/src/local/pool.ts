// The browser's host: a pool of Web Workers running the WebAssembly core, with the server
// pool's semantics (docs/protocol.md): a queue ordered by priority (higher first, first
// come first served within one), a queued job cancelled at once without touching a worker,
// a running one stopped at its worker's next slice, and `pool` messages on change, at most
// four a second. It speaks the same host messages as the server, so the page does not care
// where a job runs. Outputs are files in the origin private file system, written by the
// workers (output-sink.ts); the pool hands out a blob URL of each finished one and holds
// its Web Lock while the page uses it.
import {
  isValidJobId, type FinishEvent, type HostMessage, type PoolEvent, type StartRequest,
} from '../protocol';
import { OUTPUTS, folder, holdLock, outputLockName, removeFile } from './opfs';
import type { OutputStorage } from './output-sink';
import {
  DEFAULT_PROGRESS_EVERY_MS, DEFAULT_SLICE_BYTES, type FromWorker, type ToWorker, type WorkerFinish,
} from './worker-messages';

export interface LocalPoolOptions {
  workers?: number;          // default: navigator.hardwareConcurrency, at most maxWorkers
  maxWorkers?: number;       // default 8
  sliceBytes?: number;
  createWorker?: () => Worker;
}

interface QueuedJob { request: StartRequest; file: Blob; seq: number; enqueuedAt: number }
// `chunks`: the output's pieces when its worker keeps no file; `unlock` gives up the
// output's lock when it does.
interface RunningJob extends QueuedJob { startedAt: number; chunks: ArrayBuffer[]; unlock: (() => void) | null }
interface Slot {
  index: number; worker: Worker; ready: boolean; job: RunningJob | null; jobsDone: number;
  storage: OutputStorage | null;  // where this worker puts outputs, once it is ready
}
// A finished job's output as the page holds it.
interface HeldOutput { url: string; inFile: boolean; unlock: (() => void) | null }

const POOL_EVERY_MS = 250;

export class LocalPool {
  readonly size: number;
  private readonly slots: Slot[] = [];
  private readonly queue: QueuedJob[] = [];
  private readonly listeners = new Set<(message: HostMessage) => void>();
  private readonly createWorker: () => Worker;
  private readonly sliceBytes: number;
  private readonly outputs = new Map<string, HeldOutput>();  // job id -> its output
  private readonly storageListeners = new Set<(storage: OutputStorage) => void>();
  private storage: OutputStorage | null = null;
  private seq = 0;
  private done = 0;
  private failed = 0;
  private poolTimer: ReturnType<typeof setTimeout> | null = null;
  private lastPoolAt = 0;
  private unsupported: string | null = null;  // why WebAssembly cannot run here, once known

  constructor(options: LocalPoolOptions = {}) {
    const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 2 : 2;
    this.size = Math.max(1, Math.min(options.workers ?? cores, options.maxWorkers ?? 8));
    this.sliceBytes = options.sliceBytes ?? DEFAULT_SLICE_BYTES;
    this.createWorker = options.createWorker
      ?? (() => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'fastthread-core' }));
    for (let i = 0; i < this.size; i++) this.slots.push(this.spawn(i));
  }

  onMessage(listener: (message: HostMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // Queues a job for `file`. Answers `queued` (or `error`) at once, like the server.
  start(request: StartRequest, file: Blob): void {
    const { id } = request;
    if (!isValidJobId(id)) {
      this.emit({ op: 'error', id: '', code: 'bad_request', message: `job id '${id}' must be 1 to 64 letters, digits, '.', '_' or '-'`, place: null });
      return;
    }
    if (this.find(id)) {
      this.emit({ op: 'error', id, code: 'bad_request', message: `job id '${id}' is already in use`, place: null });
      return;
    }
    const job: QueuedJob = { request, file, seq: this.seq++, enqueuedAt: performance.now() };
    // Higher priority first, first come first served within a priority.
    let at = this.queue.findIndex((q) => q.request.priority < request.priority);
    if (at < 0) at = this.queue.length;
    this.queue.splice(at, 0, job);
    this.emit({ op: 'queued', id, position: at });
    this.dispatch();
    this.poolChanged();
  }

  // Cancels a job in any state: a queued one at once, a running one at its next slice.
  cancel(id: string): void {
    const queued = this.queue.findIndex((q) => q.request.id === id);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      this.emit({ op: 'cancel', id });
      this.poolChanged();
      return;
    }
    const slot = this.slots.find((s) => s.job?.request.id === id);
    if (slot?.job) {
      this.post(slot, { op: 'cancel', id });
      return;
    }
    this.emit({ op: 'error', id, code: 'not_found', message: `no job '${id}' in the browser's pool`, place: null });
  }

  // Lets a finished job's output go: its blob URL, its memory or its file, and its lock.
  release(id: string): void {
    const output = this.outputs.get(id);
    if (!output) return;
    this.outputs.delete(id);
    URL.revokeObjectURL(output.url);
    if (output.inFile) void dropOutputFile(id).catch(() => {}).finally(() => output.unlock?.());
    else output.unlock?.();
  }

  // Where the workers put outputs, once the first is ready; `memory` (with why) is said once.
  onStorage(listener: (storage: OutputStorage) => void): void {
    this.storageListeners.add(listener);
    if (this.storage) listener(this.storage);
  }

  status(): PoolEvent {
    return {
      op: 'pool', host: 'browser', workers: this.size,
      busy: this.slots.filter((s) => s.job).length, queued: this.queue.length,
      done: this.done, failed: this.failed,
      per_worker: this.slots.map((s) => ({
        index: s.index, pid: 0, state: !s.ready ? 'starting' : s.job ? 'busy' : 'idle',
        job: s.job?.request.id ?? '', jobs_done: s.jobsDone, rss_bytes: 0, cpu_seconds: 0,
      })),
    };
  }

  terminate(): void {
    for (const slot of this.slots) slot.worker.terminate();
    for (const id of [...this.outputs.keys()]) this.release(id);
    if (this.poolTimer) clearTimeout(this.poolTimer);
  }

  private find(id: string): QueuedJob | undefined {
    return this.queue.find((q) => q.request.id === id) ?? this.slots.find((s) => s.job?.request.id === id)?.job ?? undefined;
  }

  private spawn(index: number): Slot {
    const slot: Slot = { index, worker: this.createWorker(), ready: false, job: null, jobsDone: 0, storage: null };
    slot.worker.onmessage = (event: MessageEvent<FromWorker>) => this.onWorkerMessage(slot, event.data);
    // An uncaught failure inside the worker (the module trapped, the tab ran out of memory):
    // its job fails with worker_crashed and a fresh worker takes the slot.
    slot.worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      this.replace(slot, event.message || 'the worker stopped');
    };
    return slot;
  }

  private replace(slot: Slot, why: string): void {
    slot.worker.terminate();
    const job = slot.job;
    slot.job = null;
    if (job) {
      this.failed++;
      this.emit({ op: 'error', id: job.request.id, code: 'worker_crashed', message: `browser worker ${slot.index} crashed: ${why}`, place: null });
      // What it wrote is no output; a file still open as the worker goes is left to the
      // next start-up's clean-up, which the released lock lets in.
      if (job.unlock) void dropOutputFile(job.request.id).catch(() => {}).finally(job.unlock);
    }
    const fresh = this.spawn(slot.index);
    fresh.jobsDone = slot.jobsDone;
    this.slots[slot.index] = fresh;
    this.poolChanged();
  }

  private onWorkerMessage(slot: Slot, message: FromWorker): void {
    if (this.slots[slot.index] !== slot) return;  // a replaced worker's last words
    const job = slot.job;
    switch (message.op) {
      case 'ready':
        slot.ready = true;
        slot.storage = message.storage;
        this.storageKnown(message.storage);
        this.dispatch();
        this.poolChanged();
        return;
      case 'output':
        job?.chunks.push(message.chunk);
        return;
      case 'error':
        if (message.id === '') {
          // The module could not start in this worker: every job here fails the same way.
          slot.ready = true;
          this.unsupported = message.message;
          this.failQueued(message.message);
          return;
        }
        break;
      default:
        break;
    }
    if (!job || message.id !== job.request.id) return;
    if (message.op === 'start' || message.op === 'progress') {
      this.emit(message);
      return;
    }
    // The job ended: finish, error or cancel.
    slot.job = null;
    if (message.op === 'finish') {
      slot.jobsDone++;
      this.done++;
      this.emit(this.completed(job, message));
    } else if (message.op === 'error') {
      slot.jobsDone++;
      this.failed++;
      job.unlock?.();  // the worker has deleted what it wrote
      this.emit(message);
    } else {
      job.unlock?.();
      this.emit(message);
    }
    this.dispatch();
    this.poolChanged();
  }

  private failQueued(why: string): void {
    for (const job of this.queue.splice(0)) {
      this.failed++;
      this.emit({ op: 'error', id: job.request.id, code: 'unsupported', message: why, place: null });
    }
    this.poolChanged();
  }

  // Fills in what only the pool knows: the output as a blob URL and the queue time. A file
  // written by the worker is read from disk when the page asks, never copied into memory.
  private completed(job: RunningJob, message: WorkerFinish): FinishEvent {
    const now = performance.now();
    const { file, ...finish } = message;
    let url = '';
    if (message.output.format !== 'none') {
      const type = contentType(message.output.format);
      url = URL.createObjectURL(file ? file.slice(0, file.size, type) : new Blob(job.chunks, { type }));
      this.outputs.set(job.request.id, { url, inFile: file !== null, unlock: job.unlock });
    } else {
      job.unlock?.();
    }
    job.chunks = [];
    return {
      ...finish,
      output: { ...message.output, url },
      timings: {
        queued_ms: job.startedAt - job.enqueuedAt,
        process_ms: message.timings.process_ms,
        total_ms: now - job.enqueuedAt,
      },
    };
  }

  private dispatch(): void {
    if (this.unsupported) {
      this.failQueued(this.unsupported);
      return;
    }
    for (const slot of this.slots) {
      if (!slot.ready || slot.job || this.queue.length === 0) continue;
      const next = this.queue.shift()!;
      // Held from before the worker creates the file, so no other tab's clean-up takes it.
      const unlock = slot.storage?.kind === 'file' ? holdLock(outputLockName(next.request.id)) : null;
      slot.job = { ...next, startedAt: performance.now(), chunks: [], unlock };
      this.post(slot, {
        op: 'start', id: next.request.id, name: next.request.name, file: next.file,
        options: next.request.options, worker: slot.index,
        slice_bytes: this.sliceBytes, progress_every_ms: DEFAULT_PROGRESS_EVERY_MS,
      });
    }
  }

  private storageKnown(storage: OutputStorage): void {
    if (this.storage?.kind === 'memory' || (this.storage && storage.kind === 'file')) return;
    this.storage = storage;
    for (const listener of this.storageListeners) listener(storage);
  }

  private post(slot: Slot, message: ToWorker): void {
    slot.worker.postMessage(message);
  }

  private emit(message: HostMessage): void {
    for (const listener of this.listeners) listener(message);
  }

  // `pool` at most four times a second: the first change at once, later ones gathered.
  private poolChanged(): void {
    if (this.poolTimer) return;
    const wait = Math.max(0, this.lastPoolAt + POOL_EVERY_MS - performance.now());
    this.poolTimer = setTimeout(() => {
      this.poolTimer = null;
      this.lastPoolAt = performance.now();
      this.emit(this.status());
    }, wait);
  }
}

async function dropOutputFile(id: string): Promise<void> {
  await removeFile(await folder(OUTPUTS), id);
}

export function contentType(format: string): string {
  switch (format) {
    case 'csv': return 'text/csv;charset=utf-8';
    case 'json': return 'application/json';
    default: return 'application/x-ndjson';
  }
}
