// The bearer token this browser gives the page's server (docs/protocol.md, "hello"), kept in
// localStorage, which is per origin: a token is only ever offered to the server it came for.
// It travels in hello and in Authorization headers, never in a URL or a log line.
const KEY = 'fastthread.token';

export function loadToken(): string {
  try {
    return localStorage.getItem(KEY) ?? '';
  } catch {
    return '';
  }
}

export function saveToken(token: string): void {
  try {
    localStorage.setItem(KEY, token);
  } catch {
    // Storage disabled: the token holds for this page's life.
  }
}

export function forgetToken(): void {
  try {
    localStorage.removeItem(KEY);
  } catch {
    // Storage disabled: nothing was kept.
  }
}
