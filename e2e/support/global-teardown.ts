import { rmSync } from 'node:fs';
import { DATA_ENV } from './data';

export default async function globalTeardown(): Promise<void> {
  const dir = process.env[DATA_ENV];
  if (dir) rmSync(dir, { recursive: true, force: true });
}
