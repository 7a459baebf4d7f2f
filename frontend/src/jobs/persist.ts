// The server's jobs survive a reload: their ids, names, sizes and options are kept in
// localStorage, and after the next hello the server re-sends their states. Browser jobs
// are not kept: their work lives in this page's workers and ends with it.
import type { HostKind, JobOptions } from '../protocol';

const KEY = 'fastthread.serverJobs';
const MAX_KEPT = 100;

export interface StoredJob {
  id: string; runId: string; runs: number; name: string; size: number;
  options: JobOptions; host: HostKind; reason: string; createdAt: number;
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
    && typeof j.size === 'number' && typeof j.options === 'object' && j.host === 'server';
}
