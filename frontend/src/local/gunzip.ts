// gzip in a Web Worker with the browser's own DecompressionStream: compressed slices in,
// decompressed pieces out, with the count of compressed bytes handed over so far (for
// progress and the core's expansion limit).
//
// Chromium's DecompressionStream (checked on 156) reads one gzip member only: bytes after
// it, a second member as `cat a.gz b.gz` makes included, fail with "Junk found after end
// of compressed data." There is no way to learn where the first member ended, so such a
// file is refused with `unsupported` and a pointer to the server, which reads every member.

export class GzipError extends Error {
  constructor(message: string, readonly kind: 'truncated' | 'corrupt' | 'more_members') {
    super(message);
  }
}

export interface CompressedCount { read: number }

// The stream takes compressed bytes in writes of this size: it decompresses a whole write
// at once, so a write of a bomb (1000:1) makes at most ~16 MiB, and `read` stays within
// two writes of what it has consumed, which keeps the core's expansion limit early.
const WRITE_BYTES = 16 * 1024;

export async function* gunzip(slices: AsyncIterable<Uint8Array<ArrayBuffer>>, count: CompressedCount): AsyncGenerator<Uint8Array> {
  const stream = new DecompressionStream('gzip');
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  let readFailed: unknown = null;
  // Fed alongside the reads below: a write waits until its slice has been decompressed.
  const feeding = (async () => {
    try {
      for await (const slice of slices) {
        for (let at = 0; at < slice.length; at += WRITE_BYTES) {
          const part = slice.subarray(at, at + WRITE_BYTES);
          count.read += part.length;
          await writer.write(part);
        }
      }
      await writer.close();
    } catch (error) {
      // The stream erred (the reader hears why) or was cancelled; a slice that could not be
      // read ends it here and is rethrown below.
      readFailed = error;
      await writer.abort(error).catch(() => {});
    }
  })();
  try {
    for (;;) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch (error) {
        // A Blob that could not be read is not a gzip fault.
        if (readFailed instanceof DOMException && readFailed.name === 'NotReadableError') throw readFailed;
        throw classify(error, count.read);
      }
      if (next.done) break;
      yield next.value;
    }
  } finally {
    await reader.cancel().catch(() => {});
    await feeding;
  }
}

function classify(error: unknown, read: number): GzipError {
  const why = error instanceof Error ? error.message : String(error);
  if (/junk found/i.test(why)) {
    return new GzipError(
      'this gzip file has more than one member (or bytes after its end), which the browser\'s ' +
      'DecompressionStream cannot read: run it on the server, which reads every member', 'more_members');
  }
  if (/truncated/i.test(why)) {
    return new GzipError(`the gzip data is truncated: it ends at compressed byte ${read}`, 'truncated');
  }
  return new GzipError(`the gzip data is corrupt (the browser's DecompressionStream says: ${why}); ` +
    `${read} compressed bytes had been read`, 'corrupt');
}
