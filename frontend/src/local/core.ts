// The WebAssembly core seen from JavaScript: a thin typed wrapper of wasm/core_api.cpp.
// One CoreJob per file; the caller feeds slices and drains the output after each one.
import createFastThreadCore from '@core-module/fastthread-core.mjs';
import wasmUrl from '@core-module/fastthread-core.wasm?url';
import type { ErrorCode, JobOptions, Place, Summary } from '../protocol';

interface CoreModule {
  HEAPU8: Uint8Array;
  _malloc(size: number): number;
  _free(ptr: number): void;
  _ft_job_new(optionsJson: number): number;
  _ft_error(): number;
  _ft_job_feed(job: number, data: number, size: number): number;
  _ft_job_output(job: number): number;
  _ft_job_output_size(job: number): number;
  _ft_job_output_clear(job: number): void;
  _ft_job_bytes(job: number): number;
  _ft_job_rows(job: number): number;
  _ft_job_errors(job: number): number;
  _ft_job_set_input_compression(job: number, codec: number, compressed: number): void;
  _ft_job_fail(job: number, code: number, message: number): void;
  _ft_job_cancel(job: number): void;
  _ft_job_finish(job: number): number;
  _ft_job_free(job: number): void;
  UTF8ToString(ptr: number): string;
  stringToUTF8(text: string, ptr: number, maxBytes: number): void;
  lengthBytesUTF8(text: string): number;
}

// What ft_job_finish answers.
export interface CoreResult {
  state: 'done' | 'failed' | 'cancelled';
  error: { code: ErrorCode; message: string; place: Place | null } | null;
  summary: Summary;
}

export class OptionsError extends Error {}

let loading: Promise<CoreModule> | null = null;

// Loads and instantiates the module once per worker.
export function loadCore(): Promise<CoreModule> {
  loading ??= createFastThreadCore({
    locateFile: (path: string) => (path.endsWith('.wasm') ? wasmUrl : path),
  }) as Promise<CoreModule>;
  return loading;
}

export class CoreJob {
  private handle: number;
  private input = 0;
  private inputCapacity = 0;

  constructor(private readonly core: CoreModule, options: JobOptions) {
    const text = JSON.stringify(options);
    const size = core.lengthBytesUTF8(text) + 1;
    const ptr = core._malloc(size);
    core.stringToUTF8(text, ptr, size);
    this.handle = core._ft_job_new(ptr);
    core._free(ptr);
    if (this.handle === 0) throw new OptionsError(core.UTF8ToString(core._ft_error()));
  }

  // Feeds one slice; false once the job has stopped (bad input past max_errors, cancel).
  feed(bytes: Uint8Array): boolean {
    if (bytes.length > this.inputCapacity) {
      if (this.input) this.core._free(this.input);
      this.input = this.core._malloc(bytes.length);
      this.inputCapacity = bytes.length;
    }
    // HEAPU8 is read after _malloc: growing the memory replaces the view.
    this.core.HEAPU8.set(bytes, this.input);
    return this.core._ft_job_feed(this.handle, this.input, bytes.length) === 1;
  }

  // Hands the output produced since the last call to `write`, as a view into the module's
  // memory that is valid only during the call (a sink copies what it keeps), then clears it.
  drainOutput(write: (bytes: Uint8Array) => void): void {
    const size = this.core._ft_job_output_size(this.handle);
    if (size === 0) return;
    const start = this.core._ft_job_output(this.handle);
    write(this.core.HEAPU8.subarray(start, start + size));
    this.core._ft_job_output_clear(this.handle);
  }

  progress(): { bytes: number; rows: number; errors: number } {
    return {
      bytes: this.core._ft_job_bytes(this.handle),
      rows: this.core._ft_job_rows(this.handle),
      errors: this.core._ft_job_errors(this.handle),
    };
  }

  // The worker decompressed the input and has read `compressed` bytes of it: before each
  // feed of what they gave, and before finish() (the summary's file.compression).
  setInputCompression(codec: 'gzip' | 'zstd', compressed: number): void {
    this.core._ft_job_set_input_compression(this.handle, codec === 'gzip' ? 1 : 2, compressed);
  }

  // Fails the job for a fault found in its input (truncated or corrupt compressed data).
  fail(code: ErrorCode, message: string): void {
    const codePtr = this.text(code), messagePtr = this.text(message);
    this.core._ft_job_fail(this.handle, codePtr, messagePtr);
    this.core._free(codePtr);
    this.core._free(messagePtr);
  }

  private text(value: string): number {
    const size = this.core.lengthBytesUTF8(value) + 1;
    const ptr = this.core._malloc(size);
    this.core.stringToUTF8(value, ptr, size);
    return ptr;
  }

  cancel(): void {
    this.core._ft_job_cancel(this.handle);
  }

  // Ends the job; its last output is then waiting in drainOutput().
  finish(): CoreResult {
    return JSON.parse(this.core.UTF8ToString(this.core._ft_job_finish(this.handle))) as CoreResult;
  }

  free(): void {
    if (this.input) this.core._free(this.input);
    this.core._ft_job_free(this.handle);
    this.input = this.inputCapacity = this.handle = 0;
  }
}
