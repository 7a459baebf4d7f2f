// Runs one JavaScript contender on a Blob inside a Web Worker, the same kind of thread as
// the WebAssembly core, and answers the rows it saw and the milliseconds it took.
import Papa from 'papaparse';
import type { JsEngine, JsResult, JsRun } from './js-messages';

const scope = self as unknown as {
  postMessage(message: JsResult): void;
  onmessage: ((event: MessageEvent<JsRun>) => void) | null;
};

// The same pattern as the Python contender in bench/bench.py (Combined Log Format).
const ACCESS_LOG = /(\S+) (\S+) (\S+) \[([^\]]+)\] "([^"]*)" (\d{3}) (\S+)(?: "([^"]*)" "([^"]*)")?/;

scope.onmessage = (event) => {
  const { id, engine, file, chunkBytes } = event.data;
  const started = performance.now();
  run(engine, file, chunkBytes).then(
    (rows) => scope.postMessage({ id, ok: true, rows, ms: performance.now() - started }),
    (error: unknown) => scope.postMessage({ id, ok: false, message: error instanceof Error ? error.message : String(error) }),
  );
};

function run(engine: JsEngine, file: Blob, chunkBytes: number): Promise<number> {
  switch (engine) {
    case 'papa-chunk':
    case 'papa-step':
      return papa(file, engine === 'papa-step', chunkBytes);
    case 'json-lines':
      return eachLine(file, chunkBytes, (line) => { JSON.parse(line); });
    case 'regex-lines':
      return eachLine(file, chunkBytes, (line) => { ACCESS_LOG.exec(line); });
  }
}

// PapaParse streams a File or Blob itself (FileReader, `chunkSize` bytes at a time); with
// `worker: false` it parses right here, on this worker's thread.
function papa(file: Blob, step: boolean, chunkBytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let rows = 0;
    const base = {
      header: true, dynamicTyping: true, skipEmptyLines: true, worker: false, chunkSize: chunkBytes,
      complete: () => resolve(rows),
      error: (error: Error) => reject(error),
    };
    if (step) {
      Papa.parse<Record<string, unknown>>(file as File, { ...base, step: () => { rows++; } });
    } else {
      Papa.parse<Record<string, unknown>>(file as File, { ...base, chunk: (results) => { rows += results.data.length; } });
    }
  });
}

// Reads the Blob in slices, decodes UTF-8 and calls `each` for every non-empty line.
async function eachLine(file: Blob, chunkBytes: number, each: (line: string) => void): Promise<number> {
  const decoder = new TextDecoder();
  let rows = 0;
  let rest = '';
  for (let offset = 0; offset < file.size; offset += chunkBytes) {
    const bytes = new Uint8Array(await file.slice(offset, offset + chunkBytes).arrayBuffer());
    const text = rest + decoder.decode(bytes, { stream: true });
    let start = 0;
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      if (end > start) { each(text.slice(start, end)); rows++; }
      start = end + 1;
    }
    rest = text.slice(start);
  }
  rest += decoder.decode();
  if (rest.length > 0) { each(rest); rows++; }
  return rows;
}
