// The browser's host: a pool of Web Workers running the WebAssembly core, with the server
// pool's semantics (docs/protocol.md): a queue ordered by priority (higher first, first
// come first served within one), a queued job cancelled at once without touching a worker,
// a running one stopped at its worker's next slice, and `pool` messages on change, at most
// four a second. It speaks the same host messages as the server, so the page does not care
// where a job runs.
import {
  isValidJobId, type FinishEvent, type HostMessage, type PoolEvent, type StartRequest,
} from '../protocol';
import { DEFAULT_PROGRESS_EVERY_MS, DEFAULT_SLICE_BYTES, type FromWorker, type ToWorker } from './worker-messages';

export interface LocalPoolOptions {
  workers?: number;          // default: navigator.hardwareConcurrency, at most maxWorkers
  maxWorkers?: number;       // default 8
  sliceBytes?: number;
  createWorker?: () => Worker;
}

interface QueuedJob { request: StartRequest; file: Blob; seq: number; enqueuedAt: number }
interface RunningJob extends QueuedJob { startedAt: number; chunks: ArrayBuffer[] }
interface Slot {
  index: number; worker: Worker; ready: boolean; job: RunningJob | null; jobsDone: number;
}

const POOL_EVERY_MS = 250;

export class LocalPool {
  readonly size: number;
  private readonly slots: Slot[] = [];
  private readonly queue: QueuedJob[] = [];
  private readonly listeners = new Set<(message: HostMessage) => void>();
  private readonly createWorker: () => Worker;
  private readonly sliceBytes: number;
  private readonly outputs = new Map<string, string>();  // job id -> blob URL
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

  // The blob URL of a finished job's output; revoke() gives its memory back.
  release(id: string): void {
    const url = this.outputs.get(id);
    if (url) URL.revokeObjectURL(url);
    this.outputs.delete(id);
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
    const slot: Slot = { index, worker: this.createWorker(), ready: false, job: null, jobsDone: 0 };
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
      this.emit(message);
    } else {
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

  // Fills in what only the pool knows: the output as a blob URL and the queue time.
  private completed(job: RunningJob, message: FinishEvent): FinishEvent {
    const now = performance.now();
    let url = '';
    if (message.output.format !== 'none') {
      url = URL.createObjectURL(new Blob(job.chunks, { type: contentType(message.output.format) }));
      this.outputs.set(job.request.id, url);
    }
    return {
      ...message,
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
      slot.job = { ...next, startedAt: performance.now(), chunks: [] };
      this.post(slot, {
        op: 'start', id: next.request.id, name: next.request.name, file: next.file,
        options: next.request.options, worker: slot.index,
        slice_bytes: this.sliceBytes, progress_every_ms: DEFAULT_PROGRESS_EVERY_MS,
      });
    }
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

export function contentType(format: string): string {
  switch (format) {
    case 'csv': return 'text/csv;charset=utf-8';
    case 'json': return 'application/json';
    default: return 'application/x-ndjson';
  }
}
