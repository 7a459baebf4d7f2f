// A failed file in words a person can act on: a headline for its error code, and the ways
// out that may work for it (another encoding, more bad rows tolerated, the other host).
import type { RunChange } from '../jobs/controller';
import type { Job } from '../jobs/job';
import type { JobOptions } from '../protocol';

export function failureHeadline(code: string, message: string): string {
  switch (code) {
    case 'parse_error':
      return tooManyBadRows(message) ? 'Too many bad rows.' : 'The file could not be read.';
    case 'bad_request': return 'These reading options were refused.';
    case 'too_large': return 'The file is over a size limit.';
    case 'busy': return 'The server is full.';
    case 'rate_limited': return 'Too many files at once.';
    case 'timeout': return 'It took too long.';
    case 'io_error': return 'Reading or writing failed.';
    case 'worker_crashed': return 'The worker running it stopped.';
    case 'out_of_memory': return 'It ran out of memory.';
    case 'not_found': return 'The result is gone.';
    case 'shutting_down': return 'The server was shutting down.';
    case 'unsupported': return 'This file cannot be read here.';
    case 'corrupt_input': return 'The compressed data is damaged.';
    default: return 'It failed.';
  }
}

// The core's message when max_errors stopped the job (core/src/job.cpp).
function tooManyBadRows(message: string): boolean {
  return /\(stopped: more than \d+ bad rows\)|\(stopped at the first bad row/.test(message);
}

export interface WayOut { label: string; why: string; change: RunChange }

// Runs of the same file that may succeed where this one did not.
export function waysOut(job: Job, serverConnected: boolean): WayOut[] {
  const error = job.error;
  if (!error) return [];
  const ways: WayOut[] = [];
  const options: JobOptions = job.options;
  if (error.code === 'parse_error' && /utf-?8/i.test(error.message) && options.encoding !== 'windows-1252') {
    ways.push({
      label: 'Read it as Windows-1252',
      why: 'Text that is not UTF-8 is most often Windows-1252 (an Excel or Windows export).',
      change: { options: { ...options, encoding: 'windows-1252' } },
    });
  }
  if (error.code === 'parse_error' && tooManyBadRows(error.message)) {
    ways.push({
      label: 'Run it tolerating any number of bad rows',
      why: 'The bad rows are listed and left out of the statistics and the output.',
      change: { options: { ...options, max_errors: -1 } },
    });
  }
  const hostTrouble = ['unsupported', 'out_of_memory', 'worker_crashed', 'timeout', 'io_error'].includes(error.code)
    && !/not text/i.test(error.message);
  if (hostTrouble && job.host === 'browser' && serverConnected) {
    ways.push({ label: 'Run it on the server', why: 'The server reads what this browser cannot, with more memory.', change: { host: 'server', reason: 'chosen by you' } });
  }
  if (hostTrouble && job.host === 'server') {
    ways.push({ label: 'Run it in this browser', why: 'This browser has its own copy of the core.', change: { host: 'browser', reason: 'chosen by you' } });
  }
  return ways;
}

// A done file whose bad rows are mostly invalid UTF-8 may read well in another encoding.
export function encodingHint(job: Job): WayOut | null {
  const summary = job.finish?.summary;
  const first = summary?.errors?.first ?? [];
  if (!summary || summary.bad_rows === 0 || first.length === 0) return null;
  if (job.options.encoding === 'windows-1252') return null;
  const utf8 = first.filter((e) => e.code === 'invalid_utf8').length;
  if (utf8 * 2 < first.length) return null;
  return {
    label: 'Read it as Windows-1252',
    why: 'Most bad rows are not valid UTF-8: the file may be a Windows-1252 (Excel) export.',
    change: { options: { ...job.options, encoding: 'windows-1252' } },
  };
}
