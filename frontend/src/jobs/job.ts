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
  // The host has said how much of the upload it has (an `upload` progress) in this page.
  uploadHeard: boolean;
  // The upload stopped (reload, lost connection) and waits for the file or the server.
  uploadInterrupted: boolean;
  cancelling: boolean;
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
    uploaded: 0, parsed: 0, rows: 0, error: null, finish: null, awaitingReplay: false, uploadHeard: false,
    uploadInterrupted: false, cancelling: false, uploadRate: new RateMeter(), parseRate: new RateMeter(),
    createdAt: Date.now(), endedAt: null,
  };
}

// Back to the start for a new run (on the other host, or the same one again).
export function resetRun(job: Job, runId: string): void {
  Object.assign(job, {
    runId, runs: job.runs + 1, state: 'queued', started: false, worker: null, position: null,
    uploaded: 0, parsed: 0, rows: 0, error: null, finish: null, awaitingReplay: false, uploadHeard: false,
    uploadInterrupted: false, cancelling: false, endedAt: null,
  });
  job.uploadRate.reset();
  job.parseRate.reset();
}

export function applyEvent(job: Job, event: JobEvent, now: number): void {
  job.awaitingReplay = false;
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
        job.parsed = event.bytes;
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
}

export function fail(job: Job, code: string, message: string, now: number): void {
  job.error = { code, message, place: null };
  end(job, 'failed', now);
}

function end(job: Job, state: JobState, now: number): void {
  job.state = state;
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

// 0..1 over the bytes of the current phase: upload, then parse.
export function phaseFraction(job: Job): number {
  if (job.state === 'done') return 1;
  if (job.size === 0) return job.state === 'parsing' ? 0.5 : 0;
  if (job.state === 'uploading') return job.uploaded / job.size;
  return job.parsed / job.size;
}

export function phaseRate(job: Job): number {
  return job.state === 'uploading' ? job.uploadRate.rate() : job.parseRate.rate();
}

// Milliseconds left in the current phase, or NaN when unknown.
export function phaseEta(job: Job): number {
  const rate = phaseRate(job);
  if (rate <= 0) return NaN;
  const done = job.state === 'uploading' ? job.uploaded : job.parsed;
  return ((job.size - done) * 1000) / rate;
}
