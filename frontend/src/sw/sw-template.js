// FastThread's service worker: the page's shell and the WebAssembly core are cached on
// install and served cache-first, so the page works offline after one load. The build
// (vite.config.ts) fills in the file list and a version that changes with the files.
// The server's API, WebSocket, health and metrics are never cached, nor are blob: URLs.
const PRECACHE = __FASTTHREAD_PRECACHE__;
const VERSION = __FASTTHREAD_VERSION__;
const CACHE = `fastthread-${VERSION}`;
const NEVER_CACHED = /^(api(\/|$)|ws$|healthz$|metrics$)/;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(PRECACHE.map((path) => new Request(new URL(path, self.registration.scope), { cache: 'reload' }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith('fastthread-') && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  const scope = new URL(self.registration.scope);
  if (url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return;
  const path = url.pathname.slice(scope.pathname.length);
  if (NEVER_CACHED.test(path)) return;
  event.respondWith(cacheFirst(request, path));
});

async function cacheFirst(request, path) {
  const cache = await caches.open(CACHE);
  const key = path === '' ? new URL('./', self.registration.scope).href : request.url.split('#')[0];
  const hit = await cache.match(key, { ignoreSearch: true });
  if (hit) return hit;
  try {
    return await fetch(request);
  } catch (error) {
    // Offline and not precached: a page load still gets the shell.
    if (request.mode === 'navigate') {
      const shell = await cache.match(new URL('./index.html', self.registration.scope).href);
      if (shell) return shell;
    }
    throw error;
  }
}
