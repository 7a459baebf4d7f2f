// Protocol v1 (docs/protocol.md): the messages between the page and a host that runs jobs,
// the server over its WebSocket or the browser's worker pool over postMessage. The C++
// definition is core/include/fastthread/protocol.hpp; both are tested against the examples
// in docs/protocol.md.

export const PROTOCOL_VERSION = 1;

export type HostKind = 'server' | 'browser';
export type OutputFormat = 'ndjson' | 'json' | 'csv' | 'none';

// Job options in the spelling of docs/summary.md's `options`; all optional.
export interface JobOptions {
  name?: string;
  format?: 'auto' | 'csv' | 'tsv' | 'ndjson' | 'json' | 'log';
  delimiter?: string;
  header?: 'auto' | 'yes' | 'no';
  encoding?: 'auto' | 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252' | 'latin-1';
  to?: OutputFormat;
  types?: 'infer' | 'none';
  nulls?: string[];
  max_errors?: number;
  keep_errors?: number;
  sniff_bytes?: number;
  infer_rows?: number;
  log_format?: string;  // an nginx or Apache log format string; implies format log
}

// ---- client -> host ----

// token: the bearer token, for a server started with --tokens; never sent in a URL.
export interface HelloRequest { op: 'hello'; v: number; client_id: string; token?: string }
export interface StartRequest {
  op: 'start'; id: string; name: string; size: number; sha256?: string;
  options: JobOptions; priority: number;
}
export interface CancelRequest { op: 'cancel'; id: string }
export type ClientMessage = HelloRequest | StartRequest | CancelRequest;

// ---- host -> client ----

export interface Place { row?: number; line?: number; byte_offset?: number }
// auth: 'token' when the server wants a bearer token (then principal names its owner);
// older servers leave both out.
export interface HostInfo {
  version: string; host: HostKind; workers: number;
  limits: Record<string, number>;
  auth?: 'token' | 'none'; principal?: string;
}
export interface HelloReply { op: 'hello'; v: number; client_id: string; server: HostInfo }
export interface QueuedEvent { op: 'queued'; id: string; position: number }
export interface StartEvent { op: 'start'; id: string; host: HostKind; worker: number }
export interface ProgressEvent {
  op: 'progress'; id: string; phase: 'upload' | 'parse';
  bytes: number; total: number | null; rows: number;
}
export interface OutputRef { url: string; bytes: number; format: OutputFormat }
export interface Timings { queued_ms: number; process_ms: number; total_ms: number }
export interface FinishEvent {
  op: 'finish'; id: string; summary: Summary; output: OutputRef; timings: Timings;
  host: HostKind; worker: number; cached: boolean;
}
// The error vocabulary, mirrored once from core/include/fastthread/error.hpp: why a job
// stopped or a request was refused (the last three come only in HTTP answers), and why one
// row could not be read. e2e/tests/protocol-examples.spec.ts checks both lists against the
// tables of docs/protocol.md and docs/summary.md.
export const ERROR_CODES = [
  'parse_error', 'bad_request', 'too_large', 'busy', 'rate_limited', 'timeout', 'io_error',
  'worker_crashed', 'out_of_memory', 'not_found', 'shutting_down', 'unsupported', 'corrupt_input', 'cancelled',
  'method_not_allowed', 'header_too_large', 'forbidden', 'unauthorized',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];
export const ROW_ERROR_CODES = [
  'ragged_row', 'invalid_utf8', 'unterminated_quote', 'record_too_large', 'too_many_columns',
  'bad_json', 'not_an_object', 'too_deep', 'bad_log_line',
] as const;
export type RowErrorCode = (typeof ROW_ERROR_CODES)[number];
export const isErrorCode = (v: unknown): v is ErrorCode => (ERROR_CODES as readonly unknown[]).includes(v);
export interface ErrorEvent { op: 'error'; id: string; code: ErrorCode; message: string; place: Place | null }
export interface CancelEvent { op: 'cancel'; id: string }
// job: the browser's run id; always '' from the server, whose pool every client hears (a
// page knows which worker runs its own job from that job's `start`).
export interface WorkerStatus {
  index: number; pid: number; state: 'idle' | 'busy' | 'starting' | string; job: string;
  jobs_done: number; rss_bytes: number; cpu_seconds: number;
}
export interface PoolEvent {
  op: 'pool'; host: HostKind; workers: number; busy: number; queued: number;
  done: number; failed: number; per_worker: WorkerStatus[];
}
export type HostMessage =
  | HelloReply | QueuedEvent | StartEvent | ProgressEvent | FinishEvent | ErrorEvent
  | CancelEvent | PoolEvent;
export type JobEvent = QueuedEvent | StartEvent | ProgressEvent | FinishEvent | ErrorEvent | CancelEvent;

// ---- the summary (docs/summary.md, docs/summary-columns.md), as far as the page reads it ----

export type Scalar = string | number | boolean | null;
export interface NumericStats {
  // mean: a number, or for dates and datetimes the one nearest the mean.
  type: string; count: number; min: Scalar; max: Scalar; mean: number | string | null;
  // stddev_unit: 'days' for dates, 'seconds' for datetimes, null for numbers.
  stddev: number | null; stddev_unit: 'days' | 'seconds' | null;
  // rank_error: 0 when the quantiles are exact, else the fraction of the ranks they may be off.
  p50: Scalar; p90: Scalar; p99: Scalar; rank_error: number;
  // error: every bin's count is within this of the truth; approximate is error > 0.
  histogram: { min: Scalar; max: Scalar; counts: number[]; approximate: boolean; error: number } | null;
}
// The value occurred between count and count + error times (error 0: exactly count).
export interface TopValue { value: string; count: number; error: number }
export interface ColumnStats {
  name: string; type: string; count: number; nulls: number; types: Record<string, number>;
  min: Scalar; max: Scalar; length: { min: number; max: number } | null;
  distinct: { value: number; exact: boolean; error: number };
  // others_max: no value left out of `values` occurred more often.
  top: { exact: boolean; all_distinct: boolean; values: TopValue[]; others_max: number };
  truncated: boolean; numeric: NumericStats | null;
}
export interface RowError {
  code: RowErrorCode; message: string; row: number; line: number; byte_offset: number; column?: string;
}
export interface Summary {
  version: number;
  file?: { name: string; bytes: number; compression?: 'none' | 'gzip' | 'zstd'; compressed_bytes?: number };
  status: 'done' | 'failed' | 'cancelled' | string;
  error?: { code: ErrorCode; message: string; place: Place | null } | null;
  format?: { name: string; confidence: number; reason: string; [key: string]: unknown };
  rows: number;
  bad_rows: number;
  columns?: ColumnStats[];
  errors?: { count: number; first: RowError[] };
  output?: { format: string; rows: number; bytes: number; dropped_columns?: { name: string; first_row: number }[] };
  options?: Record<string, unknown>;
  timings?: Record<string, number>;
}

// ---- checking what a host sends ----

export class ProtocolError extends Error {}

type Check = (v: unknown) => boolean;
const isString: Check = (v) => typeof v === 'string';
const isNumber: Check = (v) => typeof v === 'number' && Number.isFinite(v);
const isBool: Check = (v) => typeof v === 'boolean';
const isObject: Check = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const isArray: Check = Array.isArray;
const orNull = (c: Check): Check => (v) => v === null || c(v);
const isHost: Check = (v) => v === 'server' || v === 'browser';
const isPhase: Check = (v) => v === 'upload' || v === 'parse';

const HOST_SHAPES: Record<HostMessage['op'], Record<string, Check>> = {
  hello: { v: isNumber, client_id: isString, server: isObject },
  queued: { id: isString, position: isNumber },
  start: { id: isString, host: isHost, worker: isNumber },
  progress: { id: isString, phase: isPhase, bytes: isNumber, total: orNull(isNumber), rows: isNumber },
  finish: { id: isString, summary: isObject, output: isObject, timings: isObject, host: isHost, worker: isNumber, cached: isBool },
  error: { id: isString, code: isErrorCode, message: isString, place: orNull(isObject) },
  cancel: { id: isString },
  pool: { host: isHost, workers: isNumber, busy: isNumber, queued: isNumber, done: isNumber, failed: isNumber, per_worker: isArray },
};

// Reads one host message (a WebSocket text frame or a postMessage payload). Unknown fields
// are ignored, as the protocol asks; a missing op, an unknown op or a field of the wrong
// type throws ProtocolError naming it.
export function parseHostMessage(input: string | unknown): HostMessage {
  let value: unknown = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      throw new ProtocolError(`not JSON: ${input.slice(0, 80)}`);
    }
  }
  if (!isObject(value)) throw new ProtocolError('a host message must be a JSON object');
  const message = value as Record<string, unknown>;
  const op = message.op;
  if (typeof op !== 'string' || !(op in HOST_SHAPES)) throw new ProtocolError(`unknown op '${String(op)}'`);
  for (const [field, check] of Object.entries(HOST_SHAPES[op as HostMessage['op']])) {
    if (!check(message[field])) throw new ProtocolError(`'${op}' has a missing or wrong '${field}'`);
  }
  return message as unknown as HostMessage;
}

// A job id as both hosts accept it: letters, digits, '.', '_', '-'; 1 to 64 characters.
export function isValidJobId(id: string): boolean {
  return /^[A-Za-z0-9._-]{1,64}$/.test(id);
}
