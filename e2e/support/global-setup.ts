import { existsSync } from 'node:fs';
import { DATA_ENV, makeDataFiles } from './data';
import { FASTTHREAD_BINARY, FASTTHREAD_GENERATE, STATIC_DIR } from './paths';

// Checks the builds are there (with the way to make them) and makes the test files once.
export default async function globalSetup(): Promise<void> {
  const missing = [
    [FASTTHREAD_BINARY, 'FASTTHREAD_BINARY', './dev build'],
    [FASTTHREAD_GENERATE, 'FASTTHREAD_GENERATE', './dev build'],
    [`${STATIC_DIR}/index.html`, 'FASTTHREAD_STATIC_DIR', 'npm --prefix frontend run build (after ./dev build wasm)'],
  ].filter(([path]) => !existsSync(path));
  if (missing.length) {
    throw new Error(missing.map(([path, env, how]) => `missing ${path} (set ${env}, or build it: ${how})`).join('\n'));
  }
  process.env[DATA_ENV] = (await makeDataFiles()).dir;
}
