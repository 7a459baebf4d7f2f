// The page's tour: screenshots at phone, laptop and wide-screen widths for docs/screenshots,
// taken by hand (npm --prefix e2e run tour), never in CI: they write into the tree.
import { defineConfig } from '@playwright/test';
import base from './playwright.config';

export default defineConfig({
  ...base,
  testDir: './tour',
  globalSetup: undefined,
  globalTeardown: undefined,
  timeout: 180_000,
});
