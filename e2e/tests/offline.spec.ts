// After one load the page works without its server: the service worker serves the shell
// and the WebAssembly core from its cache, and files run in the browser.
import { basename } from 'node:path';
import { addFiles, expectState, jobRow, openApp, progressValue, serverStatus, showResults } from '../support/app';
import { parseWithCli } from '../support/cli';
import { expect, test } from '../support/fixtures';

test('after the first load the page reloads and parses with the server gone', async ({ page, server, files, scratch }) => {
  await openApp(page, server.url);
  // The service worker has installed (precached everything) and controls the page.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
    }
  });
  await server.stop();

  await page.reload();
  await expect(serverStatus(page)).toHaveAttribute('data-connected', 'false');
  await addFiles(page, [files.peopleCsv]);
  const name = basename(files.peopleCsv);
  const row = jobRow(page, name);
  await expect(row).toHaveAttribute('data-host', 'browser');
  await expectState(row, 'done');
  expect(await progressValue(row)).toBe(100);

  const cli = await parseWithCli(files.peopleCsv, 'none', scratch);
  const results = await showResults(page, name);
  expect(cli.summary.columns?.length).toBeGreaterThan(0);
  for (const column of cli.summary.columns ?? []) {
    await expect(results.locator(`table.schema tr[data-column="${column.name}"] td.col-type`)).toHaveText(column.type);
  }
});
