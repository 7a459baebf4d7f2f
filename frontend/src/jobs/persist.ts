// The server's jobs survive a reload: their ids, names, sizes, options and how they stood
// are kept in localStorage, and after the next hello the server re-sends the states of
// those it has. A failed or cancelled one keeps its end (and reason) here, since the server
// may never have known it (a refused start) or may have forgotten it. Finished browser
// results are kept in the browser's own storage instead (kept-results.ts).
import type { HostKind, JobOptions, Place } from '../protocol';
import type { JobState } from './job';

const KEY = 'fastthread.serverJobs';
const MAX_KEPT = 100;

export interface StoredJob {
  id: string; runId: string; runs: number; name: string; size: number;
  options: JobOptions; host: HostKind; reason: string; createdAt: number;
  state?: JobState;
  error?: { code: string; message: string; place: Place | null } | null;
  held?: boolean;       // waited in the page for room on the server; never sent
}

export function loadStoredJobs(): StoredJob[] {
  try {
    const value = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(value) ? value.filter(isStoredJob) : [];
  } catch {
    return [];
  }
}

export function saveStoredJobs(jobs: StoredJob[]): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(jobs.slice(-MAX_KEPT)));
  } catch {
    // Storage full or disabled: a reload then loses the rows, not the server's jobs.
  }
}

function isStoredJob(v: unknown): v is StoredJob {
  if (typeof v !== 'object' || v === null) return false;
  const j = v as Record<string, unknown>;
  return typeof j.id === 'string' && typeof j.runId === 'string' && typeof j.name === 'string'
    && typeof j.size === 'number' && typeof j.options === 'object' && j.host === 'server'
    && (j.error === undefined || j.error === null || (typeof j.error === 'object' && typeof (j.error as Record<string, unknown>).message === 'string'));
}
