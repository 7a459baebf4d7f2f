// How numbers read on the page: sizes in binary units (1 MB = 1,048,576 bytes, as the
// threshold setting counts them), rates, durations, counts, and statistics that say how
// far off they may be.

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${value} B`;
  const digits = value >= 100 || Number.isInteger(value) ? 0 : 1;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

export function formatRate(bytesPerSecond: number): string {
  if (!Number.isFinite(bytesPerSecond) || bytesPerSecond <= 0) return '– MB/s';
  const mb = bytesPerSecond / 1048576;
  if (mb < 1) return `${Math.max(1, Math.round(bytesPerSecond / 1024))} KB/s`;
  return `${mb >= 100 ? mb.toFixed(0) : mb >= 10 ? mb.toFixed(1) : mb.toFixed(2)} MB/s`;
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s % 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function formatPercent(fraction: number): string {
  return `${Math.round(Math.max(0, Math.min(1, fraction)) * 100)}%`;
}

// A statistic as it appears in a table cell: numbers trimmed, null as a dash.
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'number') {
    if (Number.isInteger(value)) return formatCount(value);
    return Number(value.toPrecision(6)).toString();
  }
  return String(value);
}

// A fraction of a whole as a ± percentage: 0.0081 reads "±0.81%".
export function formatRelativeError(fraction: number): string {
  return `±${Number((fraction * 100).toPrecision(2))}%`;
}

// A count known to lie in [count, count + error]: exact, or "≈" and the range it lies in.
export function formatBoundedCount(count: number, error: number): string {
  if (!(error > 0)) return formatCount(count);
  return `≈${formatCount(count)}–${formatCount(count + error)}`;
}

// A minimum or maximum, which the summary gives exactly: integers with separators, other
// numbers with all their digits, dates and texts as they are.
export function formatExact(value: unknown): string {
  if (typeof value === 'number' && !Number.isInteger(value)) return String(value);
  return formatValue(value);
}

// Nulls and their share of the values: "3 (1.2%)".
export function formatNulls(nulls: number, count: number): string {
  if (nulls === 0 || count === 0) return formatCount(nulls);
  return `${formatCount(nulls)} (${trimPercent((nulls * 100) / count)}%)`;
}

function trimPercent(p: number): string {
  if (p === 100) return '100';
  return p < 0.1 ? '<0.1' : p.toFixed(1);
}

// A text length range, which the summary counts in Unicode code points.
export function formatLength(length: { min: number; max: number }): string {
  const unit = length.max === 1 ? 'character' : 'characters';
  return length.min === length.max ? `${formatCount(length.max)} ${unit}` : `${formatCount(length.min)}–${formatCount(length.max)} ${unit}`;
}

// A quantile: "≈" when the sketch has compacted, so its rank may be off by rank_error.
export function formatQuantile(value: unknown, rankError: number): string {
  return (rankError > 0 ? '≈' : '') + formatValue(value);
}

// How far a sketched quantile's rank may be off: 0.0165 reads "±1.65% of the ranks".
export function formatRankError(rankError: number): string {
  return `±${Number((rankError * 100).toPrecision(3))}% of the ranks`;
}

// A distinct count: exact, or "≈" with its relative standard error.
export function formatDistinct(distinct: { value: number; exact: boolean; error: number }): string {
  if (distinct.exact) return formatCount(distinct.value);
  return `≈${formatCount(distinct.value)} ${formatRelativeError(distinct.error)}`;
}

const SPANS: [number, string][] = [[365.25 * 86400, 'years'], [86400, 'days'], [3600, 'h'], [60, 'min'], [1, 's']];

// A length of time in seconds in the largest unit that keeps it at 2 or more (or in
// seconds, or milliseconds below one): 698,422 s reads "8.08 days".
export function formatTimeSpan(seconds: number): string {
  const size = Math.abs(seconds);
  if (size === 0) return '0 s';
  if (size < 1) return `${Number((seconds * 1000).toPrecision(3))} ms`;
  for (const [unit, name] of SPANS) {
    if (size >= 2 * unit || unit === 1) return `${Number((seconds / unit).toPrecision(3))} ${name}`;
  }
  return `${seconds} s`;
}

// A standard deviation in its unit: numbers as they are (in the column's own unit), dates
// and datetimes as a span of time.
export function formatStddev(stddev: number, unit: 'days' | 'seconds' | null): string {
  if (unit === 'days') return formatTimeSpan(stddev * 86400);
  if (unit === 'seconds') return formatTimeSpan(stddev);
  return formatValue(stddev);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

// The width of each of a histogram's equal bars: a number, or a span of time between two
// dates or datetimes; null when the bounds are neither.
export function formatBarWidth(min: unknown, max: unknown, bars: number): string | null {
  if (bars <= 0) return null;
  if (typeof min === 'number' && typeof max === 'number') return formatValue((max - min) / bars);
  if (typeof min === 'string' && typeof max === 'string' &&
      ((DATE.test(min) && DATE.test(max)) || (DATETIME.test(min) && DATETIME.test(max)))) {
    return formatTimeSpan((Date.parse(max) - Date.parse(min)) / 1000 / bars);
  }
  return null;
}
