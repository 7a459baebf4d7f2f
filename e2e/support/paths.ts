// Where the tests find the built programs and the built page. Each can be moved by an
// environment variable, so the suite also runs against builds outside this tree.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export const FASTTHREAD_BINARY = resolve(
  process.env.FASTTHREAD_BINARY ?? resolve(REPO, 'build/release/native/fastthread'));
export const FASTTHREAD_GENERATE = resolve(
  process.env.FASTTHREAD_GENERATE ?? resolve(REPO, 'build/release/bench/fastthread-generate'));
export const STATIC_DIR = resolve(
  process.env.FASTTHREAD_STATIC_DIR ?? resolve(REPO, 'frontend/dist'));

export const PROTOCOL_DOC = resolve(REPO, 'docs/protocol.md');
export const SUMMARY_DOC = resolve(REPO, 'docs/summary.md');

// Debian's Chromium, never a downloaded browser, and the switches every run uses.
export const CHROMIUM = process.env.FASTTHREAD_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];
