// Reads at most the first `limit` bytes of a URL with a stream reader, then cancels the
// rest: a preview of a gigabyte output costs 64 KB.
export const PREVIEW_BYTES = 64 * 1024;

export interface Prefix { text: string; complete: boolean }

export async function readPrefix(url: string, limit = PREVIEW_BYTES): Promise<Prefix> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`the output answered ${response.status} ${response.statusText}`.trim());
  if (!response.body) return cut(new Uint8Array(await response.arrayBuffer()), limit);
  const reader = response.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  let complete = false;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) {
        complete = true;
        break;
      }
      parts.push(value);
      size += value.length;
    }
  } finally {
    if (!complete) await reader.cancel().catch(() => undefined);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.length;
  }
  const result = cut(bytes, limit);
  return { text: result.text, complete: complete && bytes.length <= limit };
}

function cut(bytes: Uint8Array, limit: number): Prefix {
  const complete = bytes.length <= limit;
  // stream: true keeps a UTF-8 sequence cut at the limit out of the text.
  const text = new TextDecoder('utf-8').decode(bytes.subarray(0, limit), { stream: !complete });
  return { text, complete };
}
