// Where a job's output is fetched from (and, from a server that wants tokens, its download
// ticket), and the names it is saved under. A saved name is
// never the input's own (CSV -> CSV would save over the file it came from):
// sales.csv -> sales.fastthread.csv and sales.summary.json.
import type { FinishEvent } from '../protocol';

const EXTENSIONS: Record<string, string> = { ndjson: 'ndjson', json: 'json', csv: 'csv' };
// The input is decompressed before it is read, so its compression suffix goes too.
const COMPRESSED = /\.(gz|gzip|zst|zstd)$/i;

// A server's "/api/jobs/KEY/output" is resolved beside the page (it may live under a
// sub-path); blob URLs are used as they are.
export function outputHref(finish: FinishEvent, page: string = document.baseURI): string {
  return serverHref(finish.output.url, page);
}

// Where a server output's download ticket is asked for: "/api/jobs/KEY/ticket" beside its
// "/api/jobs/KEY/output" (docs/protocol.md).
export function ticketHref(finish: FinishEvent, page: string = document.baseURI): string {
  const url = new URL(outputHref(finish, page));
  url.pathname = url.pathname.replace(/\/output$/, '/ticket');
  url.search = '';
  return url.href;
}

// A path the server gave ("/api/...") as a URL beside the page.
export function serverHref(url: string, page: string = document.baseURI): string {
  if (url === '' || url.startsWith('blob:') || /^[a-z]+:/i.test(url)) return url;
  return new URL(url.replace(/^\/+/, ''), page).href;
}

export function outputFileName(inputName: string, format: string): string {
  return `${stem(inputName)}.fastthread.${EXTENSIONS[format] ?? format}`;
}

export function summaryFileName(inputName: string): string {
  return `${stem(inputName)}.summary.json`;
}

// The name without its compression suffix and its extension: sales.csv.gz -> sales.
function stem(inputName: string): string {
  const plain = inputName.replace(COMPRESSED, '') || inputName;
  return plain.replace(/\.[^./\\]+$/, '') || plain;
}
