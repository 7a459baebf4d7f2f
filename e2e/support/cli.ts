// The expected answers: what the real command line program gives for the same file.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { promisify } from 'node:util';
import { FASTTHREAD_BINARY, FASTTHREAD_GENERATE } from './paths';

const run = promisify(execFile);

export type Format = 'ndjson' | 'json' | 'csv' | 'none';
export type SummaryJson = Record<string, unknown> & {
  status: string; rows: number; bad_rows: number;
  columns?: { name: string; type: string; count: number; nulls: number; distinct: { value: number } }[];
  errors?: { count: number; first: { row: number; message: string }[] };
  error?: { code: string; message: string; place: { row: number } | null } | null;
};

export interface CliResult {
  exitCode: number;
  output: Buffer | null;   // null for --to none
  summary: SummaryJson;
}

// `fastthread parse FILE --to FMT -o OUT --summary SUMMARY`, reporting the file by its base
// name as the page does. Exit code 1 (the input stopped the job) still gives a summary.
// `extra` are further options of `fastthread parse` (e.g. ['--types', 'none']).
export async function parseWithCli(file: string, to: Format, outDir: string, extra: string[] = []): Promise<CliResult> {
  const stem = `${outDir}/${basename(file)}.${to}${extra.join('').replace(/[^a-z0-9]/gi, '')}`;
  const args = ['parse', file, '--name', basename(file), '--to', to, '--summary', `${stem}.summary.json`,
    '--quiet', '--no-progress', ...extra];
  if (to !== 'none') args.push('-o', `${stem}.out`);
  let exitCode = 0;
  try {
    await run(FASTTHREAD_BINARY, args, { maxBuffer: 1 << 20 });
  } catch (error) {
    exitCode = (error as { code?: number }).code ?? -1;
    if (exitCode !== 1) throw error;
  }
  return {
    exitCode,
    output: to === 'none' ? null : readFileSync(`${stem}.out`),
    summary: JSON.parse(readFileSync(`${stem}.summary.json`, 'utf8')) as SummaryJson,
  };
}

// The summary without what differs between two runs of the same job.
export function comparable(summary: Record<string, unknown>): Record<string, unknown> {
  const { timings: _timings, ...rest } = summary;
  return rest;
}

export async function generate(kind: string, size: string, file: string, seed = 1): Promise<void> {
  await run(FASTTHREAD_GENERATE, [kind, size, '--seed', String(seed), '-o', file]);
}

// Byte-for-byte equality, failing with the first offset that differs.
export function firstDifference(actual: Buffer, expected: Buffer): string | null {
  const n = Math.min(actual.length, expected.length);
  for (let i = 0; i < n; i++) {
    if (actual[i] !== expected[i]) {
      const around = (b: Buffer) => JSON.stringify(b.subarray(Math.max(0, i - 40), i + 40).toString('utf8'));
      return `byte ${i} differs: got ${around(actual)}, expected ${around(expected)}`;
    }
  }
  if (actual.length !== expected.length) return `got ${actual.length} bytes, expected ${expected.length}`;
  return null;
}
