// The page's name on the server across reloads (protocol v1 `hello`), kept in localStorage.
// A server without tokens keeps only ids as strong as its own (`c-` and 128 random bits)
// and answers any other with a fresh one, which the connection saves in its place.
const KEY = 'fastthread.clientId';

export function loadClientId(): string {
  try {
    const stored = localStorage.getItem(KEY);
    if (stored && /^[A-Za-z0-9._-]{1,64}$/.test(stored)) return stored;
  } catch {
    // Storage disabled: a fresh id for this page's life.
  }
  const id = `c-${randomHex(16)}`;
  saveClientId(id);
  return id;
}

export function saveClientId(id: string): void {
  try {
    localStorage.setItem(KEY, id);
  } catch {
    // Storage disabled: reconnects within this page still use the id.
  }
}

export function randomHex(bytes: number): string {
  const values = crypto.getRandomValues(new Uint8Array(bytes));
  return Array.from(values, (b) => b.toString(16).padStart(2, '0')).join('');
}
