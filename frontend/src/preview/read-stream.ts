// Streams a URL (a blob: URL or the server's output) into a parser until the parser has
// what it wants, the output ends, or `cap` bytes were read, then cancels the rest: a
// preview of a gigabyte output costs at most the cap.
import type { TextSink } from './text-sink';

// 'end': the whole output was read; 'enough': the parser stopped it; 'cap': the cap did.
export type ReadStop = 'end' | 'enough' | 'cap';

// `headers` go with a request to the server (its bearer token), never with a blob: URL.
export async function streamText(url: string, sink: TextSink, cap: number,
  headers: Record<string, string> = {}): Promise<{ stop: ReadStop; bytes: number }> {
  const response = await fetch(url, url.startsWith('blob:') ? undefined : { headers });
  if (response.status === 401) throw new Error('the server wants an access token for it, and has none it accepts from this page');
  if (!response.ok) throw new Error(`the output answered ${response.status} ${response.statusText}`.trim());
  // stream: true keeps a UTF-8 sequence cut between two pieces (or by the cap) out of the
  // text until its last byte arrives.
  const decoder = new TextDecoder('utf-8');
  if (!response.body) {
    sink.end();
    return { stop: 'end', bytes: 0 };
  }
  const reader = response.body.getReader();
  let bytes = 0;
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        sink.write(decoder.decode());
        sink.end();
        return { stop: 'end', bytes };
      }
      const room = cap - bytes;
      const piece = value.length > room ? value.subarray(0, room) : value;
      bytes += piece.length;
      sink.write(decoder.decode(piece, { stream: true }));
      if (sink.full) return { stop: 'enough', bytes };
      if (piece !== value) return { stop: 'cap', bytes };
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined);
  }
}
