// The page's settings, remembered in localStorage: where new files run, what they turn
// into, and how much of this browser's storage kept results may take.
import type { JobOptions, OutputFormat } from './protocol';

export type RouteMode = 'auto' | 'browser' | 'server';

// How files are read; each value is the job option of the same meaning (docs/summary.md).
export interface ParseSettings {
  format: NonNullable<JobOptions['format']>;
  delimiter: string;                          // '' sniffs; '\t' is a tab
  header: NonNullable<JobOptions['header']>;
  encoding: NonNullable<JobOptions['encoding']>;
  types: NonNullable<JobOptions['types']>;
  maxErrors: number;                          // bad rows tolerated; -1: no limit
  logFormat: string;                          // '' none; sent only with format auto or log
}

export interface Settings {
  thresholdMb: number;   // files of at most this many MB (1,048,576 bytes) run in the browser
  routeMode: RouteMode;
  outputFormat: OutputFormat;
  parse: ParseSettings;
  keptResultsMb: number; // browser results kept across reloads take at most this many MB
}

export const DEFAULT_PARSE: ParseSettings = {
  format: 'auto', delimiter: '', header: 'auto', encoding: 'auto', types: 'infer', maxErrors: 100, logFormat: '',
};
export const DEFAULT_SETTINGS: Settings = {
  thresholdMb: 16, routeMode: 'auto', outputFormat: 'ndjson', parse: DEFAULT_PARSE, keptResultsMb: 2048,
};
export const INPUT_FORMATS: ParseSettings['format'][] = ['auto', 'csv', 'tsv', 'ndjson', 'json', 'log'];
export const DELIMITERS = ['', ',', ';', '\t', '|'];
export const ENCODINGS: ParseSettings['encoding'][] = ['auto', 'utf-8', 'utf-16le', 'utf-16be', 'windows-1252', 'latin-1'];
const HEADERS: ParseSettings['header'][] = ['auto', 'yes', 'no'];
const TYPES: ParseSettings['types'][] = ['infer', 'none'];
const KEY = 'fastthread.settings';
const ROUTE_MODES: RouteMode[] = ['auto', 'browser', 'server'];
const OUTPUT_FORMATS: OutputFormat[] = ['ndjson', 'json', 'csv', 'none'];

export function loadSettings(): Settings {
  try {
    const stored = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<Settings>;
    return {
      thresholdMb: typeof stored.thresholdMb === 'number' && stored.thresholdMb >= 0 ? stored.thresholdMb : DEFAULT_SETTINGS.thresholdMb,
      routeMode: ROUTE_MODES.includes(stored.routeMode as RouteMode) ? stored.routeMode! : DEFAULT_SETTINGS.routeMode,
      outputFormat: OUTPUT_FORMATS.includes(stored.outputFormat as OutputFormat) ? stored.outputFormat! : DEFAULT_SETTINGS.outputFormat,
      parse: loadParse(stored.parse ?? {}),
      keptResultsMb: isMegabytes(stored.keptResultsMb) ? stored.keptResultsMb : DEFAULT_SETTINGS.keptResultsMb,
    };
  } catch {
    return { ...DEFAULT_SETTINGS };
  }
}

// A size in MB a person may set: a number, zero or more.
export function isMegabytes(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function loadParse(stored: Partial<ParseSettings>): ParseSettings {
  const pick = <T>(value: unknown, allowed: T[], fallback: T): T => (allowed.includes(value as T) ? (value as T) : fallback);
  return {
    format: pick(stored.format, INPUT_FORMATS, DEFAULT_PARSE.format),
    delimiter: pick(stored.delimiter, DELIMITERS, DEFAULT_PARSE.delimiter),
    header: pick(stored.header, HEADERS, DEFAULT_PARSE.header),
    encoding: pick(stored.encoding, ENCODINGS, DEFAULT_PARSE.encoding),
    types: pick(stored.types, TYPES, DEFAULT_PARSE.types),
    maxErrors: Number.isInteger(stored.maxErrors) && stored.maxErrors! >= -1 ? stored.maxErrors! : DEFAULT_PARSE.maxErrors,
    logFormat: typeof stored.logFormat === 'string' ? stored.logFormat : DEFAULT_PARSE.logFormat,
  };
}

// The job options for new files: only what differs from the core's defaults, so a job's
// options read as what the person chose.
export function jobOptions(settings: Settings): JobOptions {
  const options: JobOptions = { to: settings.outputFormat };
  const p = settings.parse;
  if (p.format !== DEFAULT_PARSE.format) options.format = p.format;
  if (p.delimiter !== DEFAULT_PARSE.delimiter) options.delimiter = p.delimiter;
  if (p.header !== DEFAULT_PARSE.header) options.header = p.header;
  if (p.encoding !== DEFAULT_PARSE.encoding) options.encoding = p.encoding;
  if (p.types !== DEFAULT_PARSE.types) options.types = p.types;
  if (p.maxErrors !== DEFAULT_PARSE.maxErrors) options.max_errors = p.maxErrors;
  // The core refuses a log format with another input format; it only means something for logs.
  const logFormat = p.logFormat.trim();
  if (logFormat !== '' && (p.format === 'auto' || p.format === 'log')) options.log_format = logFormat;
  return options;
}

export function isOneOf<T extends string>(value: string, allowed: readonly T[]): value is T {
  return (allowed as readonly string[]).includes(value);
}

export function saveSettings(settings: Settings): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(settings));
  } catch {
    // Storage full or disabled: the settings still hold for this page's life.
  }
}

export function isRouteMode(v: string): v is RouteMode {
  return (ROUTE_MODES as string[]).includes(v);
}

export function isOutputFormat(v: string): v is OutputFormat {
  return (OUTPUT_FORMATS as string[]).includes(v);
}
