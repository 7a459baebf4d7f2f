// Where a job's output is fetched from and the name it is saved under.
import type { FinishEvent } from '../protocol';

const EXTENSIONS: Record<string, string> = { ndjson: 'ndjson', json: 'json', csv: 'csv' };

// A server's "/api/jobs/KEY/output" is resolved beside the page (it may live under a
// sub-path); blob URLs are used as they are.
export function outputHref(finish: FinishEvent, page: string = document.baseURI): string {
  const url = finish.output.url;
  if (url === '' || url.startsWith('blob:') || /^[a-z]+:/i.test(url)) return url;
  return new URL(url.replace(/^\/+/, ''), page).href;
}

// The input's name with the output's extension: sales.csv -> sales.ndjson.
export function outputFileName(inputName: string, format: string): string {
  const base = inputName.replace(/\.[^./\\]+$/, '') || inputName;
  return `${base}.${EXTENSIONS[format] ?? format}`;
}

export function summaryFileName(inputName: string): string {
  return `${inputName.replace(/\.[^./\\]+$/, '') || inputName}.summary.json`;
}
