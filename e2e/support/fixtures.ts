// The harness: every test gets its own real server (fresh data folder, ephemeral port),
// always stopped afterwards, and the test files made by global-setup.ts.
import { test as base, expect } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DATA_ENV, dataFiles, type DataFiles } from './data';
import { Server } from './server';

export interface Fixtures {
  server: Server;
  // A scratch folder for this test's expected answers and downloads.
  scratch: string;
}

export interface WorkerFixtures {
  files: DataFiles;
}

export const test = base.extend<Fixtures, WorkerFixtures>({
  files: [async ({}, use) => {
    const dir = process.env[DATA_ENV];
    if (!dir) throw new Error(`${DATA_ENV} is not set: run the suite through playwright.config.ts (its globalSetup makes the files)`);
    await use(dataFiles(dir));
  }, { scope: 'worker' }],

  server: async ({}, use, testInfo) => {
    const server = await Server.start();
    try {
      await use(server);
    } finally {
      await server.stop();
      if (testInfo.status !== testInfo.expectedStatus && server.log) {
        await testInfo.attach('server-stderr', { body: server.log, contentType: 'text/plain' });
      }
      await server.dispose();
    }
  },

  scratch: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'fastthread-e2e-scratch-'));
    try {
      await use(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
});

export { expect };
