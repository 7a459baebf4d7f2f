// Where browser outputs and kept results live: the origin private file system (OPFS),
// shared by every tab of this origin. One file per run: `fastthread/outputs/<run id>`,
// written by a worker, and `fastthread/results/<run id>.json` once the result is kept
// (jobs/kept-results.ts). A Web Lock per output, held by the tab that wrote it for as long as it
// uses it, tells other tabs' clean-ups to leave the file alone.

const ROOT = 'fastthread';
export const OUTPUTS = 'outputs';
export const RESULTS = 'results';

// Why this page (or worker) has no origin private file system, or null when it has one.
export function noFileSystem(): string | null {
  if (!globalThis.isSecureContext) return 'the page is not served over https or from localhost, so it has no private file system';
  if (!navigator.storage?.getDirectory) return 'this browser has no origin private file system';
  return null;
}

// The folder `name` under fastthread/, made if missing. Rejects where there is no origin
// private file system, or the browser refuses it (storage turned off for this site).
export async function folder(name: typeof OUTPUTS | typeof RESULTS): Promise<FileSystemDirectoryHandle> {
  const missing = noFileSystem();
  if (missing) throw new Error(missing);
  const root = await navigator.storage.getDirectory();
  const base = await root.getDirectoryHandle(ROOT, { create: true });
  return base.getDirectoryHandle(name, { create: true });
}

export function outputLockName(runId: string): string {
  return `fastthread-output:${runId}`;
}

// Takes the lock `name` (at once when it is free, which a fresh run's is) and holds it until
// the returned function is called, or the page goes away.
export function holdLock(name: string): () => void {
  if (typeof navigator === 'undefined' || !navigator.locks) return () => {};
  let release!: () => void;
  const held = new Promise<void>((resolve) => { release = resolve; });
  navigator.locks.request(name, () => held).catch(() => {});
  return release;
}

// Deletes `name` in `dir`; a file already gone is no failure.
export async function removeFile(dir: FileSystemDirectoryHandle, name: string): Promise<void> {
  try {
    await dir.removeEntry(name);
  } catch (error) {
    if (!(error instanceof DOMException && error.name === 'NotFoundError')) throw error;
  }
}

// The file `name` in `dir`, or null when there is none.
export async function fileIn(dir: FileSystemDirectoryHandle, name: string): Promise<File | null> {
  try {
    return await (await dir.getFileHandle(name)).getFile();
  } catch (error) {
    if (error instanceof DOMException && (error.name === 'NotFoundError' || error.name === 'TypeMismatchError')) return null;
    throw error;
  }
}
