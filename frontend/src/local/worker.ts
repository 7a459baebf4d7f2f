// One Web Worker of the browser's pool: runs jobs with the WebAssembly core, one at a time.
// A file is read in slices, never whole; between slices the worker goes back to its event
// loop, which is where a `cancel` gets in. The output goes to a file of its own after
// every slice (output-sink.ts), not to the page.
import { MAGIC_BYTES, compressionOf } from '../jobs/compression';
import { CoreJob, OptionsError, loadCore } from './core';
import { GzipError, gunzip, type CompressedCount } from './gunzip';
import {
  StorageFullError, memorySink, openFileSink, probeOutputStorage, type OutputSink, type OutputStorage,
} from './output-sink';
import type { FromWorker, ToWorker, WorkerStart } from './worker-messages';

const scope = self as unknown as {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
};
const post = (message: FromWorker, transfer: Transferable[] = []) => scope.postMessage(message, transfer);

const cancelRequested = new Set<string>();
const storage: Promise<OutputStorage> = probeOutputStorage();

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
  let sink: OutputSink | null = null;
  try {
    const core = await loadCore();
    job = new CoreJob(core, { ...request.options, name: request.name });
    sink = await openSink(request);
    post({ op: 'start', id, host: 'browser', worker });
    const total = file.size;
    let lastProgress = 0;
    const sendOutput = () => job!.drainOutput((bytes) => sink!.write(bytes));
    // The first bytes say whether the file is compressed (docs/summary.md, file.compression).
    const compression = compressionOf(new Uint8Array(await file.slice(0, MAGIC_BYTES).arrayBuffer()));
    if (compression === 'zstd') {
      throw new Error('the browser cannot decompress zstd: a zstd file runs on the server, and no server took this one');
    }
    // Progress counts the bytes read from the file, compressed or not, against its size.
    const count: CompressedCount = { read: 0 };
    // Named in the summary even if not one byte comes out, as natively.
    if (compression === 'gzip') job.setInputCompression('gzip', 0);
    const pieces = compression === 'gzip' ? gunzip(slices(file, request.slice_bytes), count)
      : slices(file, request.slice_bytes);
    let stopped = false;
    try {
      for await (const piece of pieces) {
        // A cancel gets in while the slice is read; the job stops at this feed.
        if (cancelRequested.has(id)) job.cancel();
        if (compression === 'gzip') job.setInputCompression('gzip', count.read);
        else count.read += piece.length;
        const goesOn = job.feed(piece);
        sendOutput();
        if (!goesOn) {
          stopped = true;
          break;
        }
        const now = performance.now();
        if (now - lastProgress >= request.progress_every_ms) {
          lastProgress = now;
          post({ op: 'progress', id, phase: 'parse', bytes: count.read, total, rows: job.progress().rows });
        }
      }
    } catch (error) {
      if (!(error instanceof GzipError) || error.kind === 'more_members') throw error;
      // A truncated stream was read to its end: the count is all of it, as natively.
      if (error.kind === 'truncated') job.setInputCompression('gzip', count.read);
      job.fail('corrupt_input', error.message);
      stopped = true;
    }
    if (compression === 'gzip' && !stopped) job.setInputCompression('gzip', count.read);
    const result = job.finish();
    sendOutput();
    const processMs = performance.now() - startedAt;
    if (result.state === 'cancelled' || cancelRequested.has(id)) {
      await sink.discard();
      post({ op: 'cancel', id });
    } else if (result.state === 'failed' && result.error) {
      await sink.discard();
      post({ op: 'error', id, code: result.error.code, message: result.error.message, place: result.error.place });
    } else {
      const output = await sink.finish();
      post({ op: 'progress', id, phase: 'parse', bytes: total, total, rows: job.progress().rows });
      const format = result.summary.output?.format ?? request.options.to ?? 'ndjson';
      post({
        op: 'finish', id, summary: result.summary,
        output: { url: '', bytes: result.summary.output?.bytes ?? 0, format: format as 'ndjson' },
        timings: { queued_ms: 0, process_ms: processMs, total_ms: processMs },
        host: 'browser', worker, cached: false, file: output,
      });
    }
  } catch (error) {
    await sink?.discard();
    // A file the browser cannot read, options the core refuses, a module that failed to
    // load, storage that ran out: each ends this job with a message a person can read; the
    // worker goes on.
    const code = error instanceof OptionsError ? 'bad_request'
      : error instanceof StorageFullError ? 'io_error'
      : error instanceof DOMException && error.name === 'NotReadableError' ? 'io_error' : 'unsupported';
    const text = error instanceof Error ? error.message : String(error);
    const message = code === 'io_error' && !(error instanceof StorageFullError) ? `the browser could not read the file: ${text}` : text;
    post({ op: 'error', id, code, message, place: null });
  } finally {
    job?.free();
    cancelRequested.delete(id);
  }
}

// A file of its own for the output where the worker can write one; the page otherwise.
// A job with no output (to: none) needs neither.
async function openSink(request: WorkerStart): Promise<OutputSink> {
  const { id } = request;
  const send = (chunk: ArrayBuffer) => post({ op: 'output', id, chunk }, [chunk]);
  if (request.options.to === 'none' || (await storage).kind === 'memory') return memorySink(send);
  return openFileSink(id);
}

// The file in slices of `sliceBytes`, never whole.
async function* slices(file: Blob, sliceBytes: number): AsyncGenerator<Uint8Array<ArrayBuffer>> {
  for (let offset = 0; offset < file.size; offset += sliceBytes) {
    yield new Uint8Array(await file.slice(offset, offset + sliceBytes).arrayBuffer());
  }
}

// Compile the module before the first job, and say when this worker can take one.
Promise.all([storage, loadCore()]).then(
  ([where]) => post({ op: 'ready', storage: where }),
  (error: unknown) => post({ op: 'error', id: '', code: 'unsupported', message: `WebAssembly could not start: ${String(error)}`, place: null }),
);
