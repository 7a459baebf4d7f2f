// The harness: every test gets its own real server (fresh data folder, ephemeral port),
// always stopped afterwards, and the test files made by global-setup.ts. A test that asks
// for `tokenServer` gets one started with --tokens instead, its file holding alice's token.
import { test as base, expect, type TestInfo } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DATA_ENV, dataFiles, type DataFiles } from './data';
import { Server, type ServerOptions } from './server';
import { addToken } from './tokens';

export interface TokenServer {
  server: Server;
  tokensFile: string;   // fastthread token add/remove ... --tokens this, then server.hangUp()
  alice: string;        // alice's token
}

export interface Fixtures {
  server: Server;
  tokenServer: TokenServer;
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
    await withServer({}, testInfo, use);
  },

  tokenServer: async ({}, use, testInfo) => {
    const dir = mkdtempSync(join(tmpdir(), 'fastthread-e2e-tokens-'));
    try {
      const tokensFile = join(dir, 'tokens');
      const alice = await addToken(tokensFile, 'alice');
      await withServer({ tokensFile }, testInfo, (server) => use({ server, tokensFile, alice }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
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

// Starts a server for one test and always stops it, attaching its log when the test failed.
async function withServer(options: ServerOptions, testInfo: TestInfo, use: (server: Server) => Promise<void>): Promise<void> {
  const server = await Server.start(options);
  try {
    await use(server);
  } finally {
    await server.stop();
    if (testInfo.status !== testInfo.expectedStatus && server.log) {
      await testInfo.attach('server-stderr', { body: server.log, contentType: 'text/plain' });
    }
    await server.dispose();
  }
}

export { expect };
