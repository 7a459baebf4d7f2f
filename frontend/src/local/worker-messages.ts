// What the page and one of its Web Workers say to each other: protocol v1 shapes
// (docs/protocol.md), plus `ready`, the output pieces and the output file, which stay
// inside the browser's pool. The pool turns them into the host messages a client sees.
import type { CancelEvent, ErrorEvent, FinishEvent, JobOptions, ProgressEvent, StartEvent } from '../protocol';
import type { OutputStorage } from './output-sink';

export interface WorkerStart {
  op: 'start'; id: string; name: string; file: Blob; options: JobOptions; worker: number;
  slice_bytes: number;      // bytes read from the file at a time
  progress_every_ms: number; // at most one progress per this many milliseconds
}
export interface WorkerCancel { op: 'cancel'; id: string }
export type ToWorker = WorkerStart | WorkerCancel;

// The worker can take jobs; `storage` says where it puts their outputs.
export interface WorkerReady { op: 'ready'; storage: OutputStorage }
// A piece of the transformed output, in order, when the output is not written to a file;
// `chunk` is transferred, not copied.
export interface WorkerOutput { op: 'output'; id: string; chunk: ArrayBuffer }
// `file`: the whole output, written to the origin private file system (a disk-backed File,
// not its bytes), or null when its pieces came as `output` messages or there is none.
export interface WorkerFinish extends FinishEvent { file: File | null }
export type FromWorker =
  | WorkerReady | StartEvent | ProgressEvent | WorkerOutput | WorkerFinish | ErrorEvent | CancelEvent;

export const DEFAULT_SLICE_BYTES = 2 * 1024 * 1024;
export const DEFAULT_PROGRESS_EVERY_MS = 100;
