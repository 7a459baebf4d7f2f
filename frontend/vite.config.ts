// Builds the page into dist/, which `fastthread serve` serves at / and which also works as
// plain static files (relative URLs throughout, browser-only mode without a server).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
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
// It runs after the bundle is on disk: in generateBundle the HTML pages and the worker
// chunk are not in the bundle yet. The version hashes names and contents, so any change
// to any file gives a new cache.
function serviceWorker(): Plugin {
  let outDir = '';
  return {
    name: 'fastthread-service-worker',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    writeBundle() {
      const files = listFiles(outDir).filter((f) => !f.endsWith('.map') && f !== 'sw.js').sort();
      const precache = ['./', ...files.map((f) => `./${f}`)];
      const hash = createHash('sha256');
      for (const f of files) hash.update(f).update('\0').update(readFileSync(resolve(outDir, f)));
      const version = hash.digest('hex').slice(0, 16);
      const template = readFileSync(resolve(here, 'src/sw/sw-template.js'), 'utf8');
      writeFileSync(resolve(outDir, 'sw.js'), template
        .replace('__FASTTHREAD_PRECACHE__', JSON.stringify(precache))
        .replace('__FASTTHREAD_VERSION__', JSON.stringify(version)));
    },
  };
}

// Every file under `dir`, as paths relative to it with '/' separators.
function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(resolve(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? listFiles(dir, path) : [path];
  });
}

export default defineConfig({
  base: './',
  resolve: { alias: { '@core-module': wasmDir } },
  plugins: [requireCoreModule(), serviceWorker()],
  worker: { format: 'es' },
  server: { fs: { allow: [here, wasmDir] } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
    rollupOptions: {
      input: { main: resolve(here, 'index.html'), bench: resolve(here, 'bench.html') },
    },
  },
});
