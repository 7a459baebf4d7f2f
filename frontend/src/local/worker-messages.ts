// What the page and one of its Web Workers say to each other: protocol v1 shapes
// (docs/protocol.md), plus `ready` and the output pieces, which stay inside the browser's
// pool. The pool turns them into the host messages a client sees.
import type { CancelEvent, ErrorEvent, FinishEvent, JobOptions, ProgressEvent, StartEvent } from '../protocol';

export interface WorkerStart {
  op: 'start'; id: string; name: string; file: Blob; options: JobOptions; worker: number;
  slice_bytes: number;      // bytes read from the file at a time
  progress_every_ms: number; // at most one progress per this many milliseconds
}
export interface WorkerCancel { op: 'cancel'; id: string }
export type ToWorker = WorkerStart | WorkerCancel;

export interface WorkerReady { op: 'ready' }
// A piece of the transformed output, in order; `chunk` is transferred, not copied.
export interface WorkerOutput { op: 'output'; id: string; chunk: ArrayBuffer }
export type FromWorker =
  | WorkerReady | StartEvent | ProgressEvent | WorkerOutput | FinishEvent | ErrorEvent | CancelEvent;

export const DEFAULT_SLICE_BYTES = 2 * 1024 * 1024;
export const DEFAULT_PROGRESS_EVERY_MS = 100;
