// Throughput of one phase over the last few seconds, for the MB/s and ETA of a row.
const WINDOW_MS = 3000;

export class RateMeter {
  private samples: { t: number; bytes: number }[] = [];

  add(bytes: number, t: number): void {
    this.samples.push({ t, bytes });
    while (this.samples.length > 2 && t - this.samples[1].t > WINDOW_MS) this.samples.shift();
  }

  reset(): void {
    this.samples = [];
  }

  // Bytes per second, or 0 before there are two samples apart in time.
  rate(): number {
    if (this.samples.length < 2) return 0;
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    const ms = last.t - first.t;
    return ms > 0 ? ((last.bytes - first.bytes) * 1000) / ms : 0;
  }
}
