// Browser results survive a reload: a finished browser job's row and finish event are kept
// as fastthread/results/<run id>.json beside its output file, fastthread/outputs/<run id>,
// in the origin private file system (local/opfs.ts). The next load brings them back as done
// rows whose output downloads from disk. Kept results take at most a cap (output plus
// metadata bytes); a new one that would pass it drops the oldest first. Every change is
// made under one Web Lock, so tabs sharing the storage take turns.
import { parseHostMessage, type FinishEvent, type JobOptions } from '../protocol';
import { OUTPUTS, RESULTS, fileIn, folder, noFileSystem, outputLockName, removeFile } from '../local/opfs';
import { contentType } from '../local/pool';
import { applyEvent, newJob, type Job } from './job';

const STORE_LOCK = 'fastthread-kept-results';
const MB = 1048576;
const RECORD_VERSION = 1;

// What is kept of a row: enough to show it done again, with its results.
interface KeptRecord {
  version: number;
  id: string; runId: string; runs: number; name: string; size: number;
  options: JobOptions; reason: string; createdAt: number;
  finish: FinishEvent;  // output.url is '': a blob URL lives only as long as its page
}

export interface KeptResult { runId: string; name: string; bytes: number }
export interface KeptUsage { count: number; bytes: number }

// What happened to the kept results, for the page to say.
export type KeptEvent =
  | { kind: 'changed' }
  | { kind: 'dropped'; results: KeptResult[]; capMb: number }   // the oldest, for a new one
  | { kind: 'too-big'; name: string; bytes: number; capMb: number }
  | { kind: 'not-kept'; name: string; why: string }
  | { kind: 'cleared'; results: KeptResult[] };

interface Folders { results: FileSystemDirectoryHandle; outputs: FileSystemDirectoryHandle }

// One kept result as found on disk.
interface Entry { runId: string; meta: File; output: File | null; bytes: number }

export class KeptResults {
  // null where results cannot be kept here; `unavailable` then says why.
  private readonly folders: Promise<Folders | null>;
  unavailable: string | null = null;
  private readonly urls = new Map<string, string>();  // run id -> blob URL of a restored output
  private readonly listeners = new Set<(event: KeptEvent) => void>();

  constructor() {
    this.folders = openFolders().then(
      (folders) => folders,
      (error: unknown) => {
        this.unavailable = error instanceof Error ? error.message : String(error);
        return null;
      },
    );
  }

  onEvent(listener: (event: KeptEvent) => void): void {
    this.listeners.add(listener);
  }

  async available(): Promise<boolean> {
    return (await this.folders) !== null;
  }

  // The kept results as done browser rows, oldest first. Outputs nobody keeps or writes
  // (a tab closed in the middle of a job) are deleted on the way.
  async restore(): Promise<Job[]> {
    const jobs = await this.locked(async ({ results, outputs }) => {
      const restored: Job[] = [];
      for (const entry of await entries(results, outputs)) {
        const record = readRecord(await entry.meta.text());
        const hasOutput = record?.finish.output.format === 'none' || entry.output?.size === record?.finish.output.bytes;
        if (!record || record.runId !== entry.runId || !hasOutput) {
          await removeFile(results, entry.meta.name);
          continue;
        }
        restored.push(this.rowOf(record, entry.output));
      }
      await dropOrphans(results, outputs);
      return restored;
    }) ?? [];
    this.emit({ kind: 'changed' });
    return jobs.sort((a, b) => a.createdAt - b.createdAt);
  }

  // Keeps a done browser job whose output is in a file, dropping the oldest kept results
  // when it would pass `capMb`.
  async keep(job: Job, capMb: number): Promise<void> {
    const finish = job.finish;
    if (!finish || job.host !== 'browser') return;
    const text = JSON.stringify(recordOf(job, finish));
    await this.locked(async ({ results, outputs }) => {
      const output = finish.output.format === 'none' ? null : await fileIn(outputs, job.runId);
      // An output held in the page's memory (no file system for the workers) cannot be kept.
      if (finish.output.format !== 'none' && output?.size !== finish.output.bytes) return;
      const bytes = new Blob([text]).size + (output?.size ?? 0);
      if (bytes > capMb * MB) {
        this.emit({ kind: 'too-big', name: job.name, bytes, capMb });
        return;
      }
      const kept = await entries(results, outputs);
      let total = kept.reduce((sum, e) => sum + e.bytes, 0);
      const dropped: KeptResult[] = [];
      for (const entry of kept) {
        if (total + bytes <= capMb * MB) break;
        dropped.push(await this.drop(entry, results, outputs));
        total -= entry.bytes;
      }
      try {
        await writeText(results, `${job.runId}.json`, text);
      } catch (error) {
        await removeFile(results, `${job.runId}.json`).catch(() => {});
        this.emit({ kind: 'not-kept', name: job.name, why: error instanceof Error ? error.message : String(error) });
      }
      if (dropped.length) this.emit({ kind: 'dropped', results: dropped, capMb });
    });
    this.emit({ kind: 'changed' });
  }

  // Forgets one kept result (its row was cleared). The output file goes with it when it
  // came back from an earlier visit; one made in this page is the pool's to delete.
  async remove(runId: string): Promise<void> {
    const restored = this.revoke(runId);
    try {
      await this.locked(async ({ results, outputs }) => {
        await removeFile(results, `${runId}.json`);
        if (restored) await removeFile(outputs, runId);
      });
    } finally {
      this.emit({ kind: 'changed' });
    }
  }

  // Empties the store; other tabs' outputs still being written or shown stay.
  async clear(): Promise<void> {
    const cleared = await this.locked(async ({ results, outputs }) => {
      const gone: KeptResult[] = [];
      for (const entry of await entries(results, outputs)) gone.push(await this.drop(entry, results, outputs));
      await dropOrphans(results, outputs);
      return gone;
    });
    if (cleared) this.emit({ kind: 'cleared', results: cleared });
    this.emit({ kind: 'changed' });
  }

  async usage(): Promise<KeptUsage> {
    const kept = await this.locked(({ results, outputs }) => entries(results, outputs), 'shared') ?? [];
    return { count: kept.length, bytes: kept.reduce((sum, e) => sum + e.bytes, 0) };
  }

  private async drop(entry: Entry, results: FileSystemDirectoryHandle, outputs: FileSystemDirectoryHandle): Promise<KeptResult> {
    const name = readRecord(await entry.meta.text())?.name ?? entry.runId;
    await removeFile(results, entry.meta.name);
    await removeFile(outputs, entry.runId);
    this.revoke(entry.runId);
    return { runId: entry.runId, name, bytes: entry.bytes };
  }

  private rowOf(record: KeptRecord, output: File | null): Job {
    const job = newJob({
      id: record.id, name: record.name, size: record.size, options: record.options,
      host: 'browser', reason: record.reason, file: null,
    });
    job.runId = record.runId;
    job.runs = record.runs;
    job.createdAt = record.createdAt;
    // A slice of the disk-backed File: typed like a fresh output, read from disk.
    const url = output ? URL.createObjectURL(output.slice(0, output.size, contentType(record.finish.output.format))) : '';
    this.urls.set(record.runId, url);
    const now = performance.now();
    applyEvent(job, { op: 'start', id: record.runId, host: 'browser', worker: record.finish.worker }, now);
    applyEvent(job, { ...record.finish, output: { ...record.finish.output, url } }, now);
    return job;
  }

  // Lets go of a restored output's blob URL; false when this page made no such URL.
  private revoke(runId: string): boolean {
    const url = this.urls.get(runId);
    if (url === undefined) return false;
    URL.revokeObjectURL(url);
    this.urls.delete(runId);
    return true;
  }

  // Runs `work` under the store's lock, or answers null where nothing can be kept.
  private async locked<T>(work: (folders: Folders) => Promise<T>, mode: LockMode = 'exclusive'): Promise<T | null> {
    const folders = await this.folders;
    if (!folders) return null;
    return navigator.locks.request(STORE_LOCK, { mode }, () => work(folders));
  }

  private emit(event: KeptEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

async function openFolders(): Promise<Folders> {
  const missing = noFileSystem();
  if (missing) throw new Error(missing);
  if (!navigator.locks) throw new Error('this browser has no Web Locks');
  if (typeof FileSystemFileHandle === 'undefined' || !('createWritable' in FileSystemFileHandle.prototype)) {
    throw new Error('this browser cannot write files in its private file system from a page');
  }
  return { results: await folder(RESULTS), outputs: await folder(OUTPUTS) };
}

// The kept results, oldest first (the metadata file is written once, when a result is kept).
async function entries(results: FileSystemDirectoryHandle, outputs: FileSystemDirectoryHandle): Promise<Entry[]> {
  const found: Entry[] = [];
  for await (const [name, handle] of results.entries()) {
    if (handle.kind !== 'file' || !name.endsWith('.json')) continue;
    const runId = name.slice(0, -'.json'.length);
    const meta = await (handle as FileSystemFileHandle).getFile();
    const output = await fileIn(outputs, runId);
    found.push({ runId, meta, output, bytes: meta.size + (output?.size ?? 0) });
  }
  return found.sort((a, b) => a.meta.lastModified - b.meta.lastModified || a.runId.localeCompare(b.runId));
}

// Deletes outputs that no kept result names and whose lock nobody holds: a tab that is
// writing or showing one holds its lock (local/pool.ts).
async function dropOrphans(results: FileSystemDirectoryHandle, outputs: FileSystemDirectoryHandle): Promise<void> {
  const orphans: string[] = [];
  for await (const [name, handle] of outputs.entries()) {
    if (handle.kind === 'file' && !(await fileIn(results, `${name}.json`))) orphans.push(name);
  }
  for (const name of orphans) {
    await navigator.locks.request(outputLockName(name), { ifAvailable: true }, async (lock) => {
      if (lock) await removeFile(outputs, name).catch(() => {});
    });
  }
}

async function writeText(dir: FileSystemDirectoryHandle, name: string, text: string): Promise<void> {
  const writable = await (await dir.getFileHandle(name, { create: true })).createWritable();
  try {
    await writable.write(text);
    await writable.close();
  } catch (error) {
    await writable.abort().catch(() => {});
    throw error;
  }
}

function recordOf(job: Job, finish: FinishEvent): KeptRecord {
  return {
    version: RECORD_VERSION,
    id: job.id, runId: job.runId, runs: job.runs, name: job.name, size: job.size,
    options: job.options, reason: job.reason, createdAt: job.createdAt,
    finish: { ...finish, output: { ...finish.output, url: '' } },
  };
}

// A record as written by recordOf, or null for anything else (a newer page's, a torn one).
function readRecord(text: string): KeptRecord | null {
  try {
    const value = JSON.parse(text) as Partial<KeptRecord>;
    if (value.version !== RECORD_VERSION || typeof value.id !== 'string' || typeof value.runId !== 'string'
      || typeof value.runs !== 'number' || typeof value.name !== 'string' || typeof value.size !== 'number'
      || typeof value.options !== 'object' || value.options === null || typeof value.reason !== 'string'
      || typeof value.createdAt !== 'number') return null;
    const finish = parseHostMessage(value.finish);
    return finish.op === 'finish' && finish.id === value.runId ? { ...(value as KeptRecord), finish } : null;
  } catch {
    return null;
  }
}
