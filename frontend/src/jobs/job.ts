// One file's job as the page sees it, whichever host runs it, and how host messages
// move it along. A row keeps its id (data-job-id) when the file is moved to the other
// host; each run has its own protocol id.
import type {
  ErrorEvent, FinishEvent, HostKind, JobEvent, JobOptions, Place,
} from '../protocol';
import { RateMeter } from './rate';

export type JobState = 'queued' | 'uploading' | 'parsing' | 'done' | 'failed' | 'cancelled';

export interface Job {
  id: string;            // the row's id, stable across moves
  runId: string;         // the protocol id of the current run on its host
  runs: number;
  name: string;
  size: number;
  options: JobOptions;
  host: HostKind;
  reason: string;        // why it runs there
  file: File | null;     // null after a reload until the same file is picked again
  state: JobState;
  started: boolean;      // a worker picked it up
  worker: number | null;
  position: number | null;
  uploaded: number;      // server: bytes the host has received
  parsed: number;
  rows: number;
  error: { code: string; message: string; place: Place | null } | null;
  finish: FinishEvent | null;
  // A restored server job whose state the server has not re-sent yet.
  awaitingReplay: boolean;
  // ... and it was done before the reload (its result is the server's to re-send).
  restoredDone: boolean;
  // The host has said how much of the upload it has (an `upload` progress) in this page.
  uploadHeard: boolean;
  // The upload stopped (reload, lost connection) and waits for the file or the server.
  uploadInterrupted: boolean;
  cancelling: boolean;
  // Waits in this page for room on the server (its per-client limits), not yet sent.
  held: boolean;
  // The bar's fraction so far in this run: it never goes back (see overallFraction).
  shown: number;
  uploadRate: RateMeter;
  parseRate: RateMeter;
  createdAt: number;
  endedAt: number | null;
}

export function isFinal(state: JobState): boolean {
  return state === 'done' || state === 'failed' || state === 'cancelled';
}

export function newJob(fields: Pick<Job, 'id' | 'name' | 'size' | 'options' | 'host' | 'reason' | 'file'>): Job {
  return {
    ...fields, runId: fields.id, runs: 1, state: 'queued', started: false, worker: null, position: null,
    uploaded: 0, parsed: 0, rows: 0, error: null, finish: null, awaitingReplay: false, restoredDone: false, uploadHeard: false,
    uploadInterrupted: false, cancelling: false, held: false, shown: 0, uploadRate: new RateMeter(), parseRate: new RateMeter(),
    createdAt: Date.now(), endedAt: null,
  };
}

// Back to the start for a new run (on the other host, or the same one again).
export function resetRun(job: Job, runId: string): void {
  Object.assign(job, {
    runId, runs: job.runs + 1, state: 'queued', started: false, worker: null, position: null,
    uploaded: 0, parsed: 0, rows: 0, error: null, finish: null, awaitingReplay: false, restoredDone: false, uploadHeard: false,
    uploadInterrupted: false, cancelling: false, held: false, shown: 0, endedAt: null,
  });
  job.uploadRate.reset();
  job.parseRate.reset();
}

export function applyEvent(job: Job, event: JobEvent, now: number): void {
  job.awaitingReplay = false;
  job.restoredDone = false;
  switch (event.op) {
    case 'queued':
      job.position = event.position;
      break;
    case 'start':
      job.started = true;
      job.worker = event.worker;
      job.position = null;
      break;
    case 'progress':
      if (event.phase === 'upload') {
        job.uploaded = Math.max(job.uploaded, event.bytes);
        job.uploadHeard = true;
        job.uploadRate.add(event.bytes, now);
      } else {
        job.parsed = Math.max(job.parsed, event.bytes);
        job.rows = event.rows;
        job.parseRate.add(event.bytes, now);
      }
      break;
    case 'finish':
      job.finish = event;
      job.parsed = job.size;
      job.uploaded = job.size;
      job.rows = event.summary.rows;
      return end(job, 'done', now);
    case 'error':
      job.error = describeError(event);
      return end(job, 'failed', now);
    case 'cancel':
      return end(job, 'cancelled', now);
  }
  if (!isFinal(job.state)) job.state = liveState(job);
  job.shown = Math.max(job.shown, overallFraction(job));
}

export function fail(job: Job, code: string, message: string, now: number): void {
  job.error = { code, message, place: null };
  end(job, 'failed', now);
}

function end(job: Job, state: JobState, now: number): void {
  job.state = state;
  job.held = false;
  if (state === 'done') job.shown = 1;
  job.cancelling = false;
  job.uploadInterrupted = false;
  job.endedAt = now;
}

export function liveState(job: Job): JobState {
  // A job restored after a reload (no file in this page) is uploading only if the server
  // says so; its replay sends an `upload` progress exactly when the upload is unfinished.
  const mayUpload = job.file !== null || job.uploadHeard;
  if (job.host === 'server' && job.uploaded < job.size && !job.awaitingReplay && mayUpload) return 'uploading';
  return job.started ? 'parsing' : 'queued';
}

function describeError(event: ErrorEvent): Job['error'] {
  return { code: event.code, message: event.message, place: event.place };
}

// 0..1 over the whole run: a browser job has one phase (the parse), a server job two of
// equal weight (the upload and the parse, which may overlap). Both counts only grow within
// a run, so the bar never goes back; `shown` keeps the highest value all the same.
export function overallFraction(job: Job): number {
  if (job.state === 'done') return 1;
  if (job.size === 0) return job.started ? 0.5 : 0;
  const parsed = Math.min(1, job.parsed / job.size);
  if (job.host === 'browser') return parsed;
  return (Math.min(1, job.uploaded / job.size) + parsed) / 2;
}

// Bytes per second of the work going on now: the upload while there is one, else the parse.
// Queue time never counts, as a rate is measured only between two reports of progress.
export function currentRate(job: Job): number {
  return job.state === 'uploading' ? job.uploadRate.rate() : job.parseRate.rate();
}

// How fast each host has parsed for this page, learned from the jobs it finished (bytes
// over the time their worker took): the ETA of a parse that has not begun yet.
export class HostSpeeds {
  private readonly rates = new Map<HostKind, number>();

  learn(job: Job): void {
    const finish = job.finish;
    if (!finish || finish.cached || job.size < 1048576 || finish.timings.process_ms <= 0) return;
    const rate = (job.size * 1000) / finish.timings.process_ms;
    const old = this.rates.get(job.host);
    this.rates.set(job.host, old === undefined ? rate : old * 0.7 + rate * 0.3);
  }

  parseRate(host: HostKind): number {
    return this.rates.get(host) ?? 0;
  }
}

// Milliseconds left in the whole run, upload and parse, or NaN when there is nothing yet
// to measure it by. `learnedParseRate` stands in for a parse that has not started.
export function remainingMs(job: Job, learnedParseRate: number): number {
  if (isFinal(job.state)) return 0;
  const measured = job.parseRate.rate();
  const parseRate = measured > 0 ? measured : learnedParseRate;
  const parseLeft = parseRate > 0 ? ((job.size - job.parsed) * 1000) / parseRate : NaN;
  if (job.host === 'browser' || job.uploaded >= job.size) return parseLeft;
  const uploadRate = job.uploadRate.rate();
  const uploadLeft = uploadRate > 0 ? ((job.size - job.uploaded) * 1000) / uploadRate : NaN;
  // A parse under way keeps pace with the upload that feeds it: the slower one ends last.
  // One not begun yet starts when the upload is done, at the latest.
  return measured > 0 ? Math.max(uploadLeft, parseLeft) : uploadLeft + parseLeft;
}

// Left of the run in bytes of work: what overallFraction counts, in bytes.
export function remainingWork(job: Job): number {
  if (isFinal(job.state)) return 0;
  return (1 - overallFraction(job)) * job.size * (job.host === 'server' ? 2 : 1);
}
