// Rows from the first bytes of an NDJSON or JSON-array output. A prefix may end inside
// a row: only whole rows are kept.

export type Row = Record<string, unknown>;

export function parseNdjson(text: string, complete: boolean, maxRows: number): Row[] {
  const lines = text.split('\n');
  if (!complete) lines.pop();
  const rows: Row[] = [];
  for (const line of lines) {
    if (rows.length >= maxRows) break;
    if (line.trim() === '') continue;
    rows.push(asRow(JSON.parse(line)));
  }
  return rows;
}

// The top-level elements of "[{...},{...}, ..." found by tracking depth and strings, so
// a cut array still gives its whole elements.
export function parseJsonArrayPrefix(text: string, maxRows: number): Row[] {
  const rows: Row[] = [];
  const open = text.indexOf('[');
  if (open < 0) return rows;
  let depth = 0;
  let inString = false;
  let start = -1;
  for (let i = open + 1; i < text.length && rows.length < maxRows; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      if (depth === 0 && start < 0) start = i;
    } else if (c === '{' || c === '[') {
      if (depth === 0) start = i;
      depth++;
    } else if (c === '}' || c === ']') {
      if (depth === 0) break;  // the array's own end
      depth--;
      if (depth === 0) {
        rows.push(asRow(JSON.parse(text.slice(start, i + 1))));
        start = -1;
      }
    }
  }
  return rows;
}

function asRow(value: unknown): Row {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Row) : { value };
}
