// The first rows of a job's output as a table: column names and cells as text.
import type { OutputFormat } from '../protocol';
import { parseCsv } from './csv';
import { parseJsonArrayPrefix, parseNdjson, type Row } from './json-rows';
import { readPrefix } from './read-prefix';

export const PREVIEW_ROWS = 20;

export interface PreviewTable { columns: string[]; rows: string[][]; more: boolean }

export async function loadPreview(url: string, format: OutputFormat): Promise<PreviewTable> {
  const { text, complete } = await readPrefix(url);
  if (format === 'csv') {
    const records = parseCsv(text, complete, PREVIEW_ROWS + 1);
    const [header = [], ...rows] = records;
    return { columns: header, rows: rows.slice(0, PREVIEW_ROWS), more: !complete || rows.length > PREVIEW_ROWS };
  }
  const objects = format === 'json'
    ? parseJsonArrayPrefix(text, PREVIEW_ROWS + 1)
    : parseNdjson(text, complete, PREVIEW_ROWS + 1);
  return tableOf(objects.slice(0, PREVIEW_ROWS), !complete || objects.length > PREVIEW_ROWS);
}

function tableOf(objects: Row[], more: boolean): PreviewTable {
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
  const rows = objects.map((row) => columns.map((c) => cellText(row[c])));
  return { columns, rows, more };
}

function cellText(value: unknown): string {
  if (value === undefined) return '';
  if (value === null) return 'null';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
