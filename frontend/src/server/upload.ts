// Sends a file's bytes as protocol v1 binary frames (one byte id length, the id, then up
// to 1 MiB of data), read in slices with Blob.slice, and waits while the socket's send
// buffer is full, so memory stays bounded whatever the file size.
import type { ServerConnection } from './connection';

export const FRAME_DATA_BYTES = 1024 * 1024;
const HIGH_WATER_BYTES = 4 * FRAME_DATA_BYTES;
const DRAIN_POLL_MS = 15;

export type UploadEnd = 'sent' | 'stopped';

export class Upload {
  private stopped = false;

  constructor(
    private readonly connection: ServerConnection,
    private readonly id: string,
    private readonly file: Blob,
    private offset: number,
  ) {}

  stop(): void {
    this.stopped = true;
  }

  // Ends 'sent' once every byte is on the socket, or 'stopped' when stopped or when the
  // socket it started on closed (the server then says where to resume).
  async run(): Promise<UploadEnd> {
    const generation = this.connection.generation;
    const tag = new TextEncoder().encode(this.id);
    const live = () => !this.stopped && this.connection.connected && this.connection.generation === generation;
    while (this.offset < this.file.size) {
      while (live() && this.connection.bufferedAmount > HIGH_WATER_BYTES) await sleep(DRAIN_POLL_MS);
      if (!live()) return 'stopped';
      const end = Math.min(this.file.size, this.offset + FRAME_DATA_BYTES);
      const data = new Uint8Array(await this.file.slice(this.offset, end).arrayBuffer());
      if (!live()) return 'stopped';
      const frame = new Uint8Array(1 + tag.length + data.length);
      frame[0] = tag.length;
      frame.set(tag, 1);
      frame.set(data, 1 + tag.length);
      if (!this.connection.sendBinary(frame)) return 'stopped';
      this.offset = end;
    }
    return 'sent';
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
