// Compressed files, known by their first bytes (as natively: gzip 1F 8B, zstd 28 B5 2F FD),
// never by the name. The page decompresses gzip in its workers; zstd runs on the server.
export type Compression = 'none' | 'gzip' | 'zstd';

// The bytes that tell; fewer when the file is shorter.
export const MAGIC_BYTES = 4;

export function compressionOf(head: Uint8Array): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  return 'none';
}

// Reads the first bytes of `file` (a file the browser cannot read counts as plain: the
// job that reads it then says why).
export async function sniffCompression(file: Blob): Promise<Compression> {
  try {
    return compressionOf(new Uint8Array(await file.slice(0, MAGIC_BYTES).arrayBuffer()));
  } catch {
    return 'none';
  }
}
