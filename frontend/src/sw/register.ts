// Registers the service worker (sw.js beside the page) so the page works offline after
// one load. Skipped where the browser has none, and under the dev server, which has no sw.js.
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
  navigator.serviceWorker.register('./sw.js').catch((error: unknown) => {
    console.warn(`fastthread: no offline mode: ${String(error)}`);
  });
}
