// Rows from an NDJSON or JSON-array output read piece by piece. A row is parsed once it is
// whole (its line end, or the comma or bracket after an array element); a row cut by the
// end of what was read is never guessed at.
import type { TextSink } from './text-sink';

export type Row = Record<string, unknown>;

export class NdjsonRows implements TextSink {
  readonly rows: Row[] = [];
  private line = '';

  constructor(private readonly maxRows: number) {}

  get full(): boolean {
    return this.rows.length >= this.maxRows;
  }

  write(text: string): void {
    let i = 0;
    while (!this.full) {
      const lineEnd = text.indexOf('\n', i);
      if (lineEnd < 0) {
        this.line += text.slice(i);
        return;
      }
      this.line += text.slice(i, lineEnd);
      this.takeLine();
      i = lineEnd + 1;
    }
  }

  end(): void {
    if (!this.full) this.takeLine();
  }

  private takeLine(): void {
    const line = this.line;
    this.line = '';
    if (line.trim() !== '') this.rows.push(asRow(JSON.parse(line)));
  }
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const STRING_STOP = /["\\]/g;

// The top-level elements of "[{...},{...}, ..." found by tracking depth and strings, so
// the elements of a cut array are found without parsing the rest.
export class JsonArrayRows implements TextSink {
  readonly rows: Row[] = [];
  private phase: 'before' | 'inside' | 'after' = 'before';
  private element = '';
  private depth = 0;
  private inString = false;
  private escaped = false;

  constructor(private readonly maxRows: number) {}

  get full(): boolean {
    return this.rows.length >= this.maxRows;
  }

  write(text: string): void {
    const n = text.length;
    let i = 0;
    if (this.phase === 'before') {
      const open = text.indexOf('[');
      if (open < 0) return;
      this.phase = 'inside';
      i = open + 1;
    }
    let from = i;
    while (i < n && this.phase === 'inside' && !this.full) {
      if (this.inString) {
        i = this.skipString(text, i);
        continue;
      }
      const c = text.charCodeAt(i);
      if (c === QUOTE) {
        this.inString = true;
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        this.depth++;
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        if (this.depth === 0) {
          // The array's own end.
          this.takeElement(text.slice(from, i));
          this.phase = 'after';
          return;
        }
        this.depth--;
      } else if (c === COMMA && this.depth === 0) {
        this.takeElement(text.slice(from, i));
        from = i + 1;
      }
      i++;
    }
    if (this.phase === 'inside' && !this.full) this.element += text.slice(from);
  }

  // An array never closed is cut or broken: its last element is not guessed at.
  end(): void {}

  // From inside a string, the index just past its closing quote, or the text's end.
  private skipString(text: string, i: number): number {
    if (this.escaped) {
      this.escaped = false;
      return i + 1;
    }
    STRING_STOP.lastIndex = i;
    const stop = STRING_STOP.exec(text);
    if (!stop) return text.length;
    if (stop[0] === '"') this.inString = false;
    else this.escaped = true;
    return stop.index + 1;
  }

  private takeElement(tail: string): void {
    const text = (this.element + tail).trim();
    this.element = '';
    if (text !== '') this.rows.push(asRow(JSON.parse(text)));
  }
}

function asRow(value: unknown): Row {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Row) : { value };
}
