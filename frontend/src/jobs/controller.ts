// The page's jobs: routes each new file to a host, starts, cancels and moves runs, feeds
// host messages into the rows, uploads server files and resumes them after a reconnect
// or a reload, and keeps finished browser results (kept-results.ts). The UI reads jobs and
// listens for changes; it never talks to a host.
import type { LocalPool } from '../local/pool';
import type { HostKind, HostMessage, JobEvent, JobOptions, PoolEvent, StartRequest } from '../protocol';
import type { ServerConnection } from '../server/connection';
import { randomHex } from '../server/client-id';
import { Upload } from '../server/upload';
import { jobOptions, type Settings } from '../settings';
import { HostSpeeds, applyEvent, fail, isFinal, liveState, newJob, resetRun, type Job } from './job';
import type { KeptResults } from './kept-results';
import { loadStoredJobs, saveStoredJobs } from './persist';
import { sniffCompression } from './compression';
import { chooseHost } from './route';

export interface JobListener {
  changed(job: Job): void;          // a job's fields changed
  listChanged(): void;              // jobs were added or removed
  pool(event: PoolEvent): void;
  // reveal: a person chose it, so its results come into view and take the focus.
  selected(job: Job | null, reveal: boolean): void;
}

// What a new run of a row may change: where it runs, why, and its options.
export interface RunChange { host?: HostKind; reason?: string; options?: JobOptions }

// A start the server refused for want of room is sent again after this long at the latest
// (sooner when one of this page's server jobs ends).
const RETRY_REFUSED_MS = 5000;
const MINUTE_MS = 60_000;

export class JobController {
  readonly jobs: Job[] = [];
  selectedId: string | null = null;
  private readonly byRun = new Map<string, Job>();
  private readonly uploads = new Map<string, Upload>();
  private readonly listeners = new Set<JobListener>();
  private seq = 0;
  // Between the server's hello and the pool message that follows the re-sent job states.
  private replaying = false;
  private readonly seenInReplay = new Set<string>();
  private readonly uploadInReplay = new Set<string>();
  private readonly pendingCancels = new Set<string>();
  // Server runs whose start is sent; their bytes follow once the server has taken it.
  private readonly awaitingAccept = new Set<string>();
  // Rows of gzip files routed by the page itself: a browser that cannot decode one passes it on.
  private readonly gzipInAuto = new Set<string>();
  // When this page sent its server starts in the last minute (the server's per-minute limit).
  private startTimes: number[] = [];
  private heldTimer: ReturnType<typeof setTimeout> | null = null;
  // Why the last start was held back, for the rows that wait.
  private heldWhy = '';
  readonly speeds = new HostSpeeds();

  constructor(
    private readonly local: LocalPool,
    private readonly server: ServerConnection,
    private readonly settings: () => Settings,
    private readonly kept: KeptResults,
  ) {
    local.onMessage((message) => this.onHostMessage('browser', message));
    server.onMessage((message) => this.onHostMessage('server', message));
    server.onStatus(() => this.connectionChanged());
    this.restore();
    this.restoreKept();
  }

  listen(listener: JobListener): void {
    this.listeners.add(listener);
  }

  find(id: string): Job | undefined {
    return this.jobs.find((j) => j.id === id);
  }

  // New files from the picker or a drop. A file matching an interrupted server upload
  // (same name and size) resumes that upload instead of starting a new job.
  async addFiles(files: File[]): Promise<void> {
    const fresh: File[] = [];
    for (const file of files) {
      const waiting = this.jobs.find((j) => j.uploadInterrupted && !j.file && j.name === file.name && j.size === file.size);
      if (waiting) this.resumeWithFile(waiting, file);
      else fresh.push(file);
    }
    if (fresh.length === 0) return;
    // A file dropped while the page is still connecting waits for that first attempt.
    if (this.server.status === 'connecting') await this.server.settled();
    const settings = this.settings();
    const { routeMode, thresholdMb } = settings;
    const compressions = await Promise.all(fresh.map((file) => sniffCompression(file)));
    for (const [i, file] of fresh.entries()) {
      const route = chooseHost(file.size, routeMode, thresholdMb, this.server.status, compressions[i]);
      const job = newJob({
        id: this.nextId(), name: file.name, size: file.size, options: jobOptions(settings),
        host: route.host, reason: route.reason, file,
      });
      if (compressions[i] === 'gzip' && routeMode === 'auto') this.gzipInAuto.add(job.id);
      this.jobs.push(job);
      this.byRun.set(job.runId, job);
      this.notifyList();
      this.run(job);
    }
    this.persist();
  }

  // Work that lives only in this page: browser jobs, and uploads (or held files) whose
  // bytes the server does not have yet. A reload would interrupt it.
  hasLocalWork(): boolean {
    return this.jobs.some((j) => !isFinal(j.state) && (j.host === 'browser' || (j.file !== null && (j.held || j.uploaded < j.size))));
  }

  // Why a held row waits, in a person's words.
  heldReason(): string {
    return this.heldWhy;
  }

  cancel(job: Job): void {
    if (isFinal(job.state)) return;
    this.stopUpload(job.runId);
    if (job.held) {
      // Never sent: nobody else to tell.
      applyEvent(job, { op: 'cancel', id: job.runId }, performance.now());
      this.persist();
    } else if (job.host === 'browser') {
      job.cancelling = true;
      this.local.cancel(job.runId);
    } else if (this.server.send({ op: 'cancel', id: job.runId })) {
      job.cancelling = true;
    } else {
      // No server to tell now: the row ends here and the cancel goes out after the next hello.
      this.pendingCancels.add(job.runId);
      applyEvent(job, { op: 'cancel', id: job.runId }, performance.now());
      this.persist();
    }
    this.changed(job);
    this.releaseHeld();
  }

  canMove(job: Job): boolean {
    if (!job.file || job.cancelling) return false;
    if (job.state === 'failed') return true;
    if (job.state !== 'queued' && !(job.host === 'server' && !this.server.connected && !isFinal(job.state))) return false;
    return job.host === 'server' || this.server.connected;
  }

  // Runs the file on the other host: the current run is cancelled (if it is still on),
  // and a new run starts there.
  move(job: Job): void {
    if (!this.canMove(job)) return;
    this.restart(job, { host: job.host === 'browser' ? 'server' : 'browser', reason: 'chosen by you' });
  }

  // A finished row can run again: the same run once more (Retry), with other options
  // (the current settings, or one of the ways out a failure offers), or on the other host.
  canRunAgain(job: Job): boolean {
    return job.file !== null && isFinal(job.state);
  }

  runAgain(job: Job, change: RunChange = {}): void {
    if (!this.canRunAgain(job)) return;
    this.restart(job, change);
  }

  // The options a new file would get now, from the settings.
  currentOptions(): JobOptions {
    return jobOptions(this.settings());
  }

  private restart(job: Job, change: RunChange): void {
    if (!isFinal(job.state)) this.stopRun(job);
    else if (job.host === 'browser') this.releaseBrowserResult(job);
    this.byRun.delete(job.runId);
    resetRun(job, `${job.id}-${job.runs + 1}`);
    if (change.host) job.host = change.host;
    if (change.reason) job.reason = change.reason;
    if (change.options) job.options = change.options;
    this.byRun.set(job.runId, job);
    this.run(job);
    this.persist();
    this.changed(job);
  }

  // Stops a live run on its host without waiting for the answer (the row moves on).
  private stopRun(job: Job): void {
    this.stopUpload(job.runId);
    this.awaitingAccept.delete(job.runId);
    if (job.held) return;
    if (job.host === 'browser') this.local.cancel(job.runId);
    else if (!this.server.send({ op: 'cancel', id: job.runId })) this.pendingCancels.add(job.runId);
  }

  select(id: string | null, reveal = false): void {
    this.selectedId = id;
    const job = id ? this.find(id) ?? null : null;
    for (const l of this.listeners) l.selected(job, reveal);
  }

  // Forgets a row; a live one is cancelled first. Its browser output's storage is given back.
  remove(job: Job): void {
    if (!isFinal(job.state)) this.stopRun(job);
    this.forget(job);
    this.persist();
    this.notifyList();
    this.releaseHeld();
  }

  // Forgets finished rows; their browser outputs and kept results go with them.
  clearFinished(): void {
    for (const job of this.jobs.filter((j) => isFinal(j.state))) this.forget(job);
    this.persist();
    this.notifyList();
  }

  private forget(job: Job): void {
    if (job.host === 'browser') this.releaseBrowserResult(job);
    this.byRun.delete(job.runId);
    const at = this.jobs.indexOf(job);
    if (at >= 0) this.jobs.splice(at, 1);
    if (this.selectedId === job.id) this.select(null);
  }

  private run(job: Job): void {
    if (job.host === 'browser') {
      this.local.start(this.startRequest(job), job.file!);
      return;
    }
    if (!this.roomOnServer()) {
      this.hold(job);
      return;
    }
    this.send(job);
  }

  private startRequest(job: Job): StartRequest {
    return { op: 'start', id: job.runId, name: job.name, size: job.size, options: job.options, priority: 0 };
  }

  private send(job: Job): void {
    job.held = false;
    this.persist();
    if (this.server.send(this.startRequest(job))) {
      this.awaitingAccept.add(job.runId);
      this.startTimes.push(Date.now());
    } else {
      job.uploadInterrupted = true;  // started again after the next hello
    }
    job.state = liveState(job);
    this.changed(job);
  }

  // The page keeps a server file to itself while the server would refuse it: it has as
  // many of this page's jobs unfinished as it takes from one client, or this page has
  // started as many in the last minute as it allows (hello's limits).
  private roomOnServer(): boolean {
    const limits = this.server.info?.limits ?? {};
    const perClient = limits.max_jobs_per_client ?? Infinity;
    const perMinute = limits.max_jobs_per_minute ?? Infinity;
    const unfinished = this.jobs.filter((j) => j.host === 'server' && !isFinal(j.state) && !j.held).length;
    if (unfinished >= perClient) {
      this.heldWhy = `the server takes ${perClient} unfinished files at a time from this page; this one is sent when one of yours finishes`;
      return false;
    }
    const now = Date.now();
    this.startTimes = this.startTimes.filter((t) => now - t < MINUTE_MS);
    if (this.startTimes.length >= perMinute) {
      this.heldWhy = `the server takes ${perMinute} new files a minute from this page; this one is sent when the minute allows`;
      this.retryHeldIn(this.startTimes[0] + MINUTE_MS - now + 50);
      return false;
    }
    return true;
  }

  private hold(job: Job): void {
    job.held = true;
    job.state = 'queued';
    job.position = null;
    this.persist();
    this.changed(job);
  }

  // Sends held files, oldest first, while there is room.
  private releaseHeld(): void {
    if (!this.server.connected || this.replaying) return;
    for (const job of this.jobs) {
      if (!job.held || !job.file || job.host !== 'server' || isFinal(job.state)) continue;
      if (!this.roomOnServer()) {
        for (const waiting of this.jobs.filter((j) => j.held)) this.changed(waiting);
        return;
      }
      this.send(job);
    }
  }

  private retryHeldIn(ms: number): void {
    if (this.heldTimer) return;
    this.heldTimer = setTimeout(() => {
      this.heldTimer = null;
      this.releaseHeld();
    }, ms);
  }

  private resumeWithFile(job: Job, file: File): void {
    job.file = file;
    job.uploadInterrupted = false;
    if (job.held) this.releaseHeld();
    else this.startUpload(job, job.uploaded);
    this.changed(job);
  }

  private startUpload(job: Job, offset: number): void {
    if (!job.file || offset >= job.size) return;
    this.stopUpload(job.runId);
    const upload = new Upload(this.server, job.runId, job.file, offset);
    this.uploads.set(job.runId, upload);
    void upload.run().then((end) => {
      if (this.uploads.get(job.runId) === upload) this.uploads.delete(job.runId);
      if (end === 'stopped' && !isFinal(job.state) && !job.cancelling && this.byRun.get(job.runId) === job) {
        job.uploadInterrupted = true;
        this.changed(job);
      }
    });
  }

  private stopUpload(runId: string): void {
    this.uploads.get(runId)?.stop();
    this.uploads.delete(runId);
  }

  private onHostMessage(host: HostKind, message: HostMessage): void {
    switch (message.op) {
      case 'hello':
        this.replaying = true;
        this.seenInReplay.clear();
        this.uploadInReplay.clear();
        return;
      case 'pool':
        if (host === 'server' && this.replaying) this.replayEnded();
        for (const l of this.listeners) l.pool(message);
        return;
      case 'error':
        if (message.id === '') {
          console.warn(`fastthread: the ${host} refused a message: ${message.message}`);
          return;
        }
        break;
      default:
        break;
    }
    this.onJobEvent(host, message);
  }

  private onJobEvent(host: HostKind, event: JobEvent): void {
    const job = this.byRun.get(event.id);
    if (!job || job.host !== host) return;
    if (this.replaying) this.seenInReplay.add(job.runId);
    // The first word on how a run ended is the one that counts (a refused start may be
    // followed by answers to frames already on their way).
    if (isFinal(job.state) && !job.awaitingReplay) return;
    if ((event.op === 'queued' || event.op === 'start') && this.awaitingAccept.delete(job.runId)) {
      this.startUpload(job, 0);
    }
    // The server had no room after all (another page with this client id, other clients
    // filling its queue): the file waits here and goes again, rather than failing.
    if (host === 'server' && event.op === 'error' && (event.code === 'rate_limited' || event.code === 'busy') &&
        this.awaitingAccept.delete(job.runId) && job.file) {
      this.heldWhy = event.code === 'busy'
        ? 'the server is full for now; this file waits in the page and is sent again in a few seconds'
        : 'the server takes no more files from this page for now; this one is sent again when there is room';
      this.byRun.delete(job.runId);
      resetRun(job, `${job.id}-${job.runs + 1}`);
      this.byRun.set(job.runId, job);
      this.hold(job);
      this.retryHeldIn(RETRY_REFUSED_MS);
      return;
    }
    // A gzip file the browser cannot decode (several members) goes to the server, when the
    // route was the page's to choose and there is one.
    if (host === 'browser' && event.op === 'error' && event.code === 'unsupported' && this.gzipInAuto.delete(job.id) &&
        job.file && this.server.connected) {
      this.restart(job, { host: 'server', reason: 'the browser could not read this gzip file (several members?), so it went to the server' });
      return;
    }
    const wasInterrupted = job.uploadInterrupted;
    applyEvent(job, event, performance.now());
    if (isFinal(job.state)) {
      this.stopUpload(job.runId);
      this.awaitingAccept.delete(job.runId);
      if (job.state === 'done') this.speeds.learn(job);
      if (job.state === 'done' && this.selectedId === null) this.select(job.id);
      if (job.state === 'done' && host === 'browser') void this.kept.keep(job, this.settings().keptResultsMb);
      this.persist();
      if (host === 'server') queueMicrotask(() => this.releaseHeld());
    } else if (event.op === 'progress' && event.phase === 'upload' && this.replaying) {
      this.uploadInReplay.add(job.runId);
      // The server says how much of the upload it has: go on from there.
      if (job.file && !job.cancelling) this.startUpload(job, event.bytes);
      else job.uploadInterrupted = event.bytes < job.size;
    } else {
      job.uploadInterrupted = wasInterrupted && job.uploaded < job.size && !this.uploads.has(job.runId);
    }
    this.changed(job);
  }

  // The server has re-sent the state of every job it knows for this client.
  private replayEnded(): void {
    this.replaying = false;
    for (const job of this.jobs) {
      if (job.host !== 'server' || job.held) continue;
      if (this.seenInReplay.has(job.runId)) {
        // No upload progress in the replay: the server has the whole file.
        if (!isFinal(job.state) && !this.uploadInReplay.has(job.runId)) {
          job.uploaded = job.size;
          job.uploadInterrupted = false;
          job.state = liveState(job);
          this.changed(job);
        }
        continue;
      }
      if (job.awaitingReplay || !isFinal(job.state)) {
        if (job.file) {
          // The start never reached the server: send it again with the whole file.
          job.uploaded = 0;
          job.uploadInterrupted = false;
          this.run(job);
          continue;
        }
        fail(job, 'not_found', job.awaitingReplay && job.restoredDone
          ? 'this file was done, but the server no longer keeps its result (it may have been restarted or cleaned up): pick the file again to run it again'
          : 'the server no longer knows this job (it may have been restarted or cleaned up)', performance.now());
      }
      this.changed(job);
    }
    for (const runId of this.pendingCancels) this.server.send({ op: 'cancel', id: runId });
    this.pendingCancels.clear();
    this.persist();
    this.releaseHeld();
  }

  private connectionChanged(): void {
    if (this.server.connected) return;
    this.replaying = false;
    for (const job of this.jobs) {
      if (job.host === 'server' && !isFinal(job.state)) this.changed(job);
    }
  }

  // Server rows come back as they were: a failed or cancelled one as it ended (with its
  // reason: the server may never have known it, or have forgotten it), a held one waiting
  // for its file, the others asking the server for their state.
  private restore(): void {
    const now = performance.now();
    for (const stored of loadStoredJobs()) {
      const job = newJob({ ...stored, file: null });
      job.runId = stored.runId;
      job.runs = stored.runs;
      job.createdAt = stored.createdAt;
      if (stored.state === 'failed' || stored.state === 'cancelled') {
        job.state = stored.state;
        job.error = stored.error ?? null;
        job.endedAt = now;
      } else if (stored.held) {
        job.held = true;
        job.uploadInterrupted = true;
      } else {
        job.awaitingReplay = true;
        job.restoredDone = stored.state === 'done';
      }
      this.jobs.push(job);
      this.byRun.set(job.runId, job);
    }
  }

  // A browser run's output and its kept result go together (a row forgotten or run again).
  private releaseBrowserResult(job: Job): void {
    this.local.release(job.runId);
    void this.kept.remove(job.runId);
  }

  // Browser results kept from earlier visits come back as done rows; kept results dropped
  // for the cap or cleared take their rows with them (kept-results.ts).
  private restoreKept(): void {
    this.kept.onEvent((event) => {
      if (event.kind !== 'dropped' && event.kind !== 'cleared') return;
      for (const { runId } of event.results) {
        const job = this.byRun.get(runId);
        if (job) this.remove(job);
      }
    });
    void this.kept.restore().then((jobs) => {
      for (const job of jobs) {
        if (this.byRun.has(job.runId)) continue;
        this.jobs.push(job);
        this.byRun.set(job.runId, job);
      }
      // Rows in the order their files came, whichever store they came back from.
      this.jobs.sort((a, b) => a.createdAt - b.createdAt);
      this.notifyList();
    });
  }

  private persist(): void {
    saveStoredJobs(this.jobs.filter((j) => j.host === 'server').map((j) => ({
      id: j.id, runId: j.runId, runs: j.runs, name: j.name, size: j.size, options: j.options as JobOptions,
      host: j.host, reason: j.reason, createdAt: j.createdAt,
      state: j.awaitingReplay && j.restoredDone ? 'done' : j.state, error: j.error, held: j.held,
    })));
  }

  private nextId(): string {
    // Tabs share the private file system, where a browser run's output is named by its id:
    // the random part keeps two tabs' ids apart within one millisecond.
    return `f${Date.now().toString(36)}${(this.seq++).toString(36)}${randomHex(2)}`;
  }

  private changed(job: Job): void {
    for (const l of this.listeners) l.changed(job);
  }

  private notifyList(): void {
    for (const l of this.listeners) l.listChanged();
  }
}
