// A small RFC 4180 reader for the preview: quoted fields with "" escapes and line breaks
// inside quotes, CRLF or LF records. On a prefix of a file the last record may be cut;
// `complete` false drops it.
export function parseCsv(text: string, complete: boolean, maxRecords: number): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endRecord = () => {
    record.push(field);
    records.push(record);
    record = [];
    field = '';
  };
  while (i < text.length && records.length < maxRecords) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        field += c;
      }
    } else if (c === '"' && field === '') {
      quoted = true;
    } else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
    } else {
      field += c;
    }
    i++;
  }
  if (i >= text.length && complete && (field !== '' || record.length > 0) && records.length < maxRecords) endRecord();
  return records;
}
