// An incremental RFC 4180 reader for the preview: quoted fields with "" escapes and line
// breaks inside quotes, CRLF, LF or CR records. Pieces may be cut anywhere, even between
// the two quotes of an escape or the CR and LF of a line end; a record is kept only once
// its line end (or the end of the text) has arrived.
import type { TextSink } from './text-sink';

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

export class CsvRecords implements TextSink {
  readonly records: string[][] = [];
  private record: string[] = [];
  private field = '';
  private fieldStarted = false;
  private quoted = false;
  // Inside quotes, a quote was the piece's last character: an escape or the closing quote,
  // which the next character decides.
  private quoteSeen = false;
  // A record ended at a CR: an LF right after it belongs to the same line end.
  private afterCr = false;

  constructor(private readonly maxRecords: number) {}

  get full(): boolean {
    return this.records.length >= this.maxRecords;
  }

  write(text: string): void {
    const n = text.length;
    let i = 0;
    while (i < n && !this.full) {
      const c = text.charCodeAt(i);
      if (this.afterCr) {
        this.afterCr = false;
        if (c === LF) {
          i++;
          continue;
        }
      }
      if (this.quoted) {
        if (this.quoteSeen) {
          this.quoteSeen = false;
          if (c === QUOTE) {
            this.field += '"';
            i++;
          } else {
            this.quoted = false;  // that quote closed the field; c is read unquoted
          }
          continue;
        }
        const close = text.indexOf('"', i);
        const upTo = close < 0 ? n : close;
        this.field += text.slice(i, upTo);
        if (close >= 0) this.quoteSeen = true;
        i = upTo + 1;
        continue;
      }
      if (c === QUOTE && !this.fieldStarted) {
        this.quoted = true;
        this.fieldStarted = true;
        i++;
      } else if (c === COMMA) {
        this.endField();
        i++;
      } else if (c === LF || c === CR) {
        this.endRecord();
        this.afterCr = c === CR;
        i++;
      } else {
        // A run of plain characters (a quote inside an unquoted field is one of them).
        let j = i + 1;
        while (j < n) {
          const d = text.charCodeAt(j);
          if (d === COMMA || d === LF || d === CR) break;
          j++;
        }
        this.field += text.slice(i, j);
        this.fieldStarted = true;
        i = j;
      }
    }
  }

  end(): void {
    if (this.full) return;
    // A field still open at the end keeps what it has, as the core reads it.
    if (this.fieldStarted || this.record.length > 0) this.endRecord();
  }

  private endField(): void {
    this.record.push(this.field);
    this.field = '';
    this.fieldStarted = false;
    this.quoted = false;
    this.quoteSeen = false;
  }

  private endRecord(): void {
    this.endField();
    this.records.push(this.record);
    this.record = [];
  }
}
