// One Web Worker of the browser's pool: runs jobs with the WebAssembly core, one at a time.
// A file is read in slices, never whole; between slices the worker goes back to its event
// loop, which is where a `cancel` gets in.
import { CoreJob, OptionsError, loadCore } from './core';
import type { FromWorker, ToWorker, WorkerStart } from './worker-messages';

const scope = self as unknown as {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
};
const post = (message: FromWorker, transfer: Transferable[] = []) => scope.postMessage(message, transfer);

const cancelRequested = new Set<string>();

scope.onmessage = (event) => {
  const message = event.data;
  if (message.op === 'cancel') {
    cancelRequested.add(message.id);
  } else if (message.op === 'start') {
    void run(message);
  }
};

async function run(request: WorkerStart): Promise<void> {
  const { id, file, worker } = request;
  const startedAt = performance.now();
  let job: CoreJob | null = null;
  try {
    const core = await loadCore();
    job = new CoreJob(core, { ...request.options, name: request.name });
    post({ op: 'start', id, host: 'browser', worker });
    const total = file.size;
    let lastProgress = 0;
    const sendOutput = () => {
      const piece = job!.takeOutput();
      if (piece) post({ op: 'output', id, chunk: piece.buffer as ArrayBuffer }, [piece.buffer as ArrayBuffer]);
    };
    for (let offset = 0; offset < total; offset += request.slice_bytes) {
      const slice = new Uint8Array(await file.slice(offset, offset + request.slice_bytes).arrayBuffer());
      // A cancel gets in while the slice is read; the job stops at this feed.
      if (cancelRequested.has(id)) job.cancel();
      const goesOn = job.feed(slice);
      sendOutput();
      if (!goesOn) break;
      const now = performance.now();
      if (now - lastProgress >= request.progress_every_ms) {
        lastProgress = now;
        const p = job.progress();
        post({ op: 'progress', id, phase: 'parse', bytes: p.bytes, total, rows: p.rows });
      }
    }
    const result = job.finish();
    sendOutput();
    const processMs = performance.now() - startedAt;
    if (result.state === 'cancelled' || cancelRequested.has(id)) {
      post({ op: 'cancel', id });
    } else if (result.state === 'failed' && result.error) {
      post({ op: 'error', id, code: result.error.code, message: result.error.message, place: result.error.place });
    } else {
      const p = job.progress();
      post({ op: 'progress', id, phase: 'parse', bytes: p.bytes, total, rows: p.rows });
      const format = result.summary.output?.format ?? request.options.to ?? 'ndjson';
      post({
        op: 'finish', id, summary: result.summary,
        output: { url: '', bytes: result.summary.output?.bytes ?? 0, format: format as 'ndjson' },
        timings: { queued_ms: 0, process_ms: processMs, total_ms: processMs },
        host: 'browser', worker, cached: false,
      });
    }
  } catch (error) {
    // A file the browser cannot read, options the core refuses, a module that failed to
    // load: each ends this job with a message a person can read; the worker goes on.
    const code = error instanceof OptionsError ? 'bad_request'
      : error instanceof DOMException && error.name === 'NotReadableError' ? 'io_error' : 'unsupported';
    const text = error instanceof Error ? error.message : String(error);
    post({ op: 'error', id, code, message: code === 'io_error' ? `the browser could not read the file: ${text}` : text, place: null });
  } finally {
    job?.free();
    cancelRequested.delete(id);
  }
}

// Compile the module before the first job, and say when this worker can take one.
loadCore().then(
  () => post({ op: 'ready' }),
  (error: unknown) => post({ op: 'error', id: '', code: 'unsupported', message: `WebAssembly could not start: ${String(error)}`, place: null }),
);
