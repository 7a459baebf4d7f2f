// The first rows of a job's output as a table: column names and cells as text. It reads
// as much of the output as its first PREVIEW_ROWS rows take, up to PREVIEW_MAX_BYTES.
import type { OutputFormat } from '../protocol';
import { CsvRecords } from './csv';
import { JsonArrayRows, NdjsonRows, type Row } from './json-rows';
import { streamText, type ReadStop } from './read-stream';

export const PREVIEW_ROWS = 20;
// Rows of a few megabytes each still show; a longer first stretch is left to the download.
export const PREVIEW_MAX_BYTES = 16 * 1024 * 1024;

// 'all': every row of the output is shown; 'first': the output has more than the rows
// shown; 'cap': the cap was reached before PREVIEW_ROWS rows were whole, so only the rows
// whole within it are shown.
export type PreviewExtent = 'all' | 'first' | 'cap';

export interface PreviewTable {
  columns: string[];
  rows: string[][];
  extent: PreviewExtent;
  cap: number;
}

// `headers`: what a request to the server needs (read-stream.ts).
export async function loadPreview(url: string, format: OutputFormat, headers: Record<string, string> = {}): Promise<PreviewTable> {
  const cap = PREVIEW_MAX_BYTES;
  // One row past the preview tells whether there are more.
  const wanted = PREVIEW_ROWS + 1;
  if (format === 'csv') {
    const csv = new CsvRecords(wanted + 1);  // and the header
    const { stop } = await streamText(url, csv, cap, headers);
    const [header = [], ...rows] = csv.records;
    return { columns: header, rows: rows.slice(0, PREVIEW_ROWS), extent: extentOf(rows.length, stop), cap };
  }
  const parser = format === 'json' ? new JsonArrayRows(wanted) : new NdjsonRows(wanted);
  const { stop } = await streamText(url, parser, cap, headers);
  return { ...tableOf(parser.rows.slice(0, PREVIEW_ROWS)), extent: extentOf(parser.rows.length, stop), cap };
}

function extentOf(rows: number, stop: ReadStop): PreviewExtent {
  if (rows > PREVIEW_ROWS || stop === 'enough') return 'first';
  // Cut by the cap right after PREVIEW_ROWS whole rows: none of them is missing.
  if (stop === 'cap') return rows === PREVIEW_ROWS ? 'first' : 'cap';
  return 'all';
}

function tableOf(objects: Row[]): { columns: string[]; rows: string[][] } {
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const row of objects) {
    for (const key of Object.keys(row)) {
      if (!seen.has(key)) {
        seen.add(key);
        columns.push(key);
      }
    }
  }
  return { columns, rows: objects.map((row) => columns.map((c) => cellText(row[c]))) };
}

function cellText(value: unknown): string {
  if (value === undefined) return '';
  if (value === null) return 'null';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
