// What the preview's parsers have in common: text arrives in pieces cut anywhere (inside a
// field, a quote pair, a CRLF), and a parser says when it has all the rows it wants, so
// the reader can stop fetching.
export interface TextSink {
  write(text: string): void;
  // The text is complete: a last record without its line end counts.
  end(): void;
  readonly full: boolean;
}
