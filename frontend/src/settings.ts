// The page's settings, remembered in localStorage: where new files run and what they
// turn into.
import type { OutputFormat } from './protocol';

export type RouteMode = 'auto' | 'browser' | 'server';

export interface Settings {
  thresholdMb: number;   // files of at most this many MB (1,048,576 bytes) run in the browser
  routeMode: RouteMode;
  outputFormat: OutputFormat;
}

export const DEFAULT_SETTINGS: Settings = { thresholdMb: 16, routeMode: 'auto', outputFormat: 'ndjson' };
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
    };
  } catch {
    return { ...DEFAULT_SETTINGS };
  }
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
