// Builds the page into dist/, which `fastthread serve` serves at / and which also works as
// plain static files (relative URLs throughout, browser-only mode without a server).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
// The WebAssembly core built by the `wasm` CMake preset (./dev build wasm).
const wasmDir = resolve(process.env.FASTTHREAD_WASM_DIR ?? resolve(here, '../build/wasm/wasm'));

function requireCoreModule(): Plugin {
  return {
    name: 'fastthread-core-module',
    buildStart() {
      if (!existsSync(resolve(wasmDir, 'fastthread-core.mjs'))) {
        this.error(`no WebAssembly core in ${wasmDir}: build it first with ./dev build wasm (or set FASTTHREAD_WASM_DIR)`);
      }
    },
  };
}

// Writes sw.js with the list of every built file, so the service worker can cache the
// whole shell (the .wasm included) on install and the page works offline after one load.
function serviceWorker(): Plugin {
  return {
    name: 'fastthread-service-worker',
    apply: 'build',
    generateBundle(_options, bundle) {
      const files = Object.keys(bundle).filter((f) => !f.endsWith('.map')).sort();
      const precache = ['./', ...files.map((f) => `./${f}`)];
      const version = createHash('sha256').update(precache.join('\n')).digest('hex').slice(0, 16);
      const template = readFileSync(resolve(here, 'src/sw/sw-template.js'), 'utf8');
      this.emitFile({
        type: 'asset',
        fileName: 'sw.js',
        source: template
          .replace('__FASTTHREAD_PRECACHE__', JSON.stringify(precache))
          .replace('__FASTTHREAD_VERSION__', JSON.stringify(version)),
      });
    },
  };
}

// The pages that exist: the app (index.html) and the benchmark (bench.html) come from
// separate pieces of work, and either builds without the other.
function pages(): Record<string, string> {
  const all = { main: resolve(here, 'index.html'), bench: resolve(here, 'bench.html') };
  const present = Object.entries(all).filter(([, file]) => existsSync(file));
  if (present.length === 0) throw new Error(`no page to build: neither index.html nor bench.html in ${here}`);
  return Object.fromEntries(present);
}

export default defineConfig({
  base: './',
  resolve: { alias: { '@core-module': wasmDir } },
  // The service worker keeps the app working offline; a build without the app needs none.
  plugins: existsSync(resolve(here, 'index.html')) ? [requireCoreModule(), serviceWorker()] : [requireCoreModule()],
  worker: { format: 'es' },
  server: { fs: { allow: [here, wasmDir] } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
    rollupOptions: {
      input: pages(),
    },
  },
});
