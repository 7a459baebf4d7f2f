// Where a worker puts a job's transformed output as the core produces it. Normally a file
// in the origin private file system, written in place with a FileSystemSyncAccessHandle
// at a running offset, so the output never passes through the page's memory whatever its
// size. Where a worker cannot do that, the pieces go to the page as before (the page says
// so once, in the browser pool panel).
import { OUTPUTS, folder, noFileSystem, removeFile } from './opfs';

export type OutputStorage = { kind: 'file' } | { kind: 'memory'; why: string };

// The storage ran out while the output was written; `written` bytes of it had landed.
export class StorageFullError extends Error {
  constructor(readonly written: number) {
    super(`the browser's storage ran out after ${megabytes(written)} of output were written. ` +
      'Free space on this disk, clear the kept results (under Settings), or run this file on the server');
  }
}

export interface OutputSink {
  // Takes one piece; `bytes` may be a view into the module's memory, valid only during the call.
  write(bytes: Uint8Array): void;
  // All written: the output as a disk-backed File, or null when the pieces went to the page.
  finish(): Promise<File | null>;
  // The job failed or was cancelled: nothing of the output is kept.
  discard(): Promise<void>;
}

// Whether this worker can write outputs to files, asked once when it starts.
export async function probeOutputStorage(): Promise<OutputStorage> {
  const missing = noFileSystem();
  if (missing) return { kind: 'memory', why: missing };
  if (typeof FileSystemFileHandle === 'undefined' || !('createSyncAccessHandle' in FileSystemFileHandle.prototype)) {
    return { kind: 'memory', why: 'this browser has no FileSystemSyncAccessHandle in workers' };
  }
  try {
    await folder(OUTPUTS);
    return { kind: 'file' };
  } catch (error) {
    return { kind: 'memory', why: `the browser refused its private file system (${describe(error)})` };
  }
}

export async function openFileSink(runId: string): Promise<OutputSink> {
  const dir = await folder(OUTPUTS);
  const handle = await dir.getFileHandle(runId, { create: true });
  let access: FileSystemSyncAccessHandle;
  try {
    access = await handle.createSyncAccessHandle();
  } catch (error) {
    throw new Error(`the browser could not open the output file ${runId} for writing (${describe(error)})`);
  }
  // A file left by an earlier run of the same id has no business in this output.
  access.truncate(0);
  return new FileSink(dir, runId, handle, access);
}

export function memorySink(send: (chunk: ArrayBuffer) => void): OutputSink {
  return {
    write: (bytes) => send(bytes.slice().buffer),
    finish: async () => null,
    discard: async () => {},
  };
}

class FileSink implements OutputSink {
  private written = 0;
  private open = true;

  constructor(
    private readonly dir: FileSystemDirectoryHandle,
    private readonly name: string,
    private readonly handle: FileSystemFileHandle,
    private readonly access: FileSystemSyncAccessHandle,
  ) {}

  write(bytes: Uint8Array): void {
    let count: number;
    try {
      count = this.access.write(bytes, { at: this.written });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'QuotaExceededError') throw new StorageFullError(this.written);
      throw error;
    }
    // Chromium answers a write past the quota with a short (or nonsensical) count, not a throw.
    if (count !== bytes.byteLength) throw new StorageFullError(this.written);
    this.written += count;
  }

  async finish(): Promise<File> {
    this.access.flush();
    this.close();
    return this.handle.getFile();
  }

  async discard(): Promise<void> {
    this.close();
    await removeFile(this.dir, this.name).catch(() => {});
  }

  private close(): void {
    if (!this.open) return;
    this.open = false;
    this.access.close();
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MB`;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
