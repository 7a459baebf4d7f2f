// The end-to-end suite: Debian's Chromium (never a downloaded browser), headless, against
// the real `fastthread serve` started per test by support/fixtures.ts.
import { defineConfig } from '@playwright/test';
import { CHROMIUM, CHROMIUM_ARGS } from './support/paths';

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  globalSetup: './support/global-setup.ts',
  globalTeardown: './support/global-teardown.ts',
  // Two cores, shared by Chromium, the server's workers and the browser's workers.
  workers: Number(process.env.FASTTHREAD_E2E_WORKERS ?? 1),
  fullyParallel: false,
  // A retry could hide a real failure.
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [['list', { printSteps: false }]],
  use: {
    browserName: 'chromium',
    headless: true,
    acceptDownloads: true,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
    launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS },
  },
});
