// What the benchmark page and its JavaScript contender worker (js-worker.ts) say.

// papa-chunk / papa-step: PapaParse with `header: true, dynamicTyping: true`, streaming the
// Blob with a `chunk` or a `step` callback. json-lines: JSON.parse on every NDJSON line.
// regex-lines: one regular expression match per access-log line.
export type JsEngine = 'papa-chunk' | 'papa-step' | 'json-lines' | 'regex-lines';

export interface JsRun { id: number; engine: JsEngine; file: Blob; chunkBytes: number }
export type JsResult =
  | { id: number; ok: true; rows: number; ms: number }
  | { id: number; ok: false; message: string };
