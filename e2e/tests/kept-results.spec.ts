// Browser outputs are files in the origin private file system, written by the workers, and
// finished browser results are kept there across reloads, within a cap, until cleared.
import { basename } from 'node:path';
import type { Page } from '@playwright/test';
import {
  addFiles, applySettings, downloadOutput, downloadSummary, expectState, jobRow, keptCount, keptResults,
  openApp, opfsFiles, showResults, writeOpfsFile, type OutputFormat,
} from '../support/app';
import { comparable, firstDifference, parseWithCli } from '../support/cli';
import { expect, test } from '../support/fixtures';
import { CHROMIUM, CHROMIUM_ARGS } from '../support/paths';
import { Server } from '../support/server';

const MB = 1048576;

// Runs `file` in the browser and waits for its row to be done; answers the row's id, which
// is also its run's id (the name of its output file).
async function runInBrowser(page: Page, file: string, to: OutputFormat = 'ndjson'): Promise<string> {
  await applySettings(page, { routeMode: 'browser', outputFormat: to });
  await addFiles(page, [file]);
  const row = jobRow(page, basename(file));
  await expect(row).toHaveAttribute('data-host', 'browser');
  await expectState(row, 'done', 60_000);
  return (await row.getAttribute('data-job-id'))!;
}

test('a browser job writes its output to a file of its own, and the page offers that file', async ({ page, server, files, scratch }) => {
  const cli = await parseWithCli(files.mediumCsv, 'ndjson', scratch);
  await openApp(page, server.url);
  const id = await runInBrowser(page, files.mediumCsv);

  expect(await opfsFiles(page, 'outputs')).toContainEqual({ name: id, size: cli.output!.length });
  const results = await showResults(page, basename(files.mediumCsv));
  const output = await downloadOutput(page, results);
  expect(firstDifference(output.bytes, cli.output!), 'browser output against fastthread parse').toBeNull();

  // The link reads that file from disk: with the file gone, it has nothing to give (an
  // output held in the page's memory would still be there).
  const href = (await results.locator('a.download-output').getAttribute('href'))!;
  const after = await page.evaluate(async ({ url, name }) => {
    const read = async () => (await (await fetch(url)).arrayBuffer()).byteLength;
    const before = await read();
    const root = await navigator.storage.getDirectory();
    await (await (await root.getDirectoryHandle('fastthread')).getDirectoryHandle('outputs')).removeEntry(name);
    try {
      return { before, read: await read() };
    } catch (error) {
      return { before, failed: String(error) };
    }
  }, { url: href, name: id });
  expect(after.before).toBe(cli.output!.length);
  expect(after).toHaveProperty('failed');
});

test('a browser result survives a reload: the row is done, its results open and its output is the same', async ({ page, server, files, scratch }) => {
  const cli = await parseWithCli(files.mediumCsv, 'ndjson', scratch);
  await openApp(page, server.url);
  expect(await keptCount(page)).toBe(0);
  const id = await runInBrowser(page, files.mediumCsv);
  await expect(keptResults(page)).toHaveAttribute('data-count', '1');

  await page.reload();
  const name = basename(files.mediumCsv);
  const row = jobRow(page, name);
  await expectState(row, 'done');
  await expect(row).toHaveAttribute('data-host', 'browser');
  await expect(row).toHaveAttribute('data-job-id', id);
  await expect(row.locator('.job-rows')).toContainText(cli.summary.rows.toLocaleString('en-US'));
  expect(await keptCount(page)).toBe(1);

  const results = await showResults(page, name);
  await expect(results.locator('table.schema tr[data-column]')).toHaveCount(cli.summary.columns!.length);
  await expect(results.locator('table.preview tr:has(td)').first()).toBeVisible();
  const output = await downloadOutput(page, results);
  expect(output.fileName).toBe('medium.fastthread.ndjson');
  expect(firstDifference(output.bytes, cli.output!), 'kept output against fastthread parse').toBeNull();
  expect(comparable(await downloadSummary(page, results))).toEqual(comparable(cli.summary));
});

test('clearing the kept results removes them, and a reload brings none back', async ({ page, server, files }) => {
  await openApp(page, server.url);
  await runInBrowser(page, files.peopleCsv);
  await runInBrowser(page, files.mediumCsv);
  const panel = keptResults(page);
  await expect(panel).toHaveAttribute('data-count', '2');
  await expect(panel).toContainText('2 results');

  await panel.getByRole('button', { name: 'Clear kept results' }).click();
  await expect(panel).toHaveAttribute('data-count', '0');
  await expect(page.locator('#kept-results-note')).toHaveText(/Cleared 2 kept results/);
  await expect(page.getByTestId('job-row')).toHaveCount(0);
  expect(await opfsFiles(page, 'results')).toEqual([]);
  expect(await opfsFiles(page, 'outputs')).toEqual([]);

  await page.reload();
  expect(await keptCount(page)).toBe(0);
  await expect(page.getByTestId('job-row')).toHaveCount(0);
});

test('clearing finished rows forgets their kept results too', async ({ page, server, files }) => {
  await openApp(page, server.url);
  await runInBrowser(page, files.peopleCsv);
  await expect(keptResults(page)).toHaveAttribute('data-count', '1');
  await page.locator('#clear-finished').click();
  await expect(keptResults(page)).toHaveAttribute('data-count', '0');
  expect(await opfsFiles(page, 'outputs')).toEqual([]);
  await page.reload();
  expect(await keptCount(page)).toBe(0);
  await expect(page.getByTestId('job-row')).toHaveCount(0);
});

test('a row removed, or run again, forgets its kept result', async ({ page, server, files }) => {
  await openApp(page, server.url);
  const people = await runInBrowser(page, files.peopleCsv);
  await runInBrowser(page, files.raggedCsv);
  await expect(keptResults(page)).toHaveAttribute('data-count', '2');

  // Run again: the new run is kept, the old one is not.
  const row = jobRow(page, 'people.csv');
  await row.locator('button.job-rerun').click();
  await expect.poll(async () => {
    const names = (await opfsFiles(page, 'results')).map((f) => f.name);
    return names.length === 2 && !names.includes(`${people}.json`);
  }).toBe(true);
  await expectState(row, 'done');
  await expect(keptResults(page)).toHaveAttribute('data-count', '2');

  await jobRow(page, 'ragged.csv').locator('button.job-remove').click();
  await expect(jobRow(page, 'ragged.csv')).toHaveCount(0);
  await expect(keptResults(page)).toHaveAttribute('data-count', '1');

  await page.reload();
  expect(await keptCount(page)).toBe(1);
  await expect(page.getByTestId('job-row')).toHaveCount(1);
  await expectState(jobRow(page, 'people.csv'), 'done');
});

test('past the cap the oldest kept result goes, and the page says so', async ({ page, server, files, scratch }) => {
  const first = (await parseWithCli(files.mediumCsv, 'ndjson', scratch)).output!.length;
  const second = (await parseWithCli(files.mediumLog, 'ndjson', scratch)).output!.length;
  // Room for either result with its metadata, not for both.
  const capMb = Math.ceil((Math.max(first, second) + Math.min(first, second) / 2) / MB);
  expect(capMb * MB).toBeLessThan(first + second);
  await openApp(page, server.url);
  await applySettings(page, { keptResultsMb: capMb });
  await runInBrowser(page, files.mediumCsv);
  await expect(keptResults(page)).toHaveAttribute('data-count', '1');
  await runInBrowser(page, files.mediumLog);

  await expect(page.locator('#kept-results-note')).toHaveText(
    new RegExp(`Dropped the oldest kept result, medium\\.csv .* to stay under the ${capMb} MB cap`));
  await expect(jobRow(page, 'medium.csv')).toHaveCount(0);
  await expect(keptResults(page)).toHaveAttribute('data-count', '1');

  await page.reload();
  await expectState(jobRow(page, basename(files.mediumLog)), 'done');
  await expect(jobRow(page, 'medium.csv')).toHaveCount(0);
  expect(await keptCount(page)).toBe(1);
});

test('a result bigger than the cap is not kept: the row stays for this page only', async ({ page, server, files }) => {
  await openApp(page, server.url);
  await applySettings(page, { keptResultsMb: 1 });
  await runInBrowser(page, files.mediumCsv);
  await expect(page.locator('#kept-results-note')).toHaveText(/medium\.csv is not kept: .* bigger than the 1 MB cap/);
  // Its output is still there to download in this page.
  const results = await showResults(page, 'medium.csv');
  expect((await downloadOutput(page, results)).bytes.length).toBeGreaterThan(MB);
  expect(await keptCount(page)).toBe(0);

  await page.reload();
  expect(await keptCount(page)).toBe(0);
  await expect(page.getByTestId('job-row')).toHaveCount(0);
});

test('a failed browser job keeps nothing', async ({ page, server, files }) => {
  await openApp(page, server.url);
  await applySettings(page, { routeMode: 'browser', outputFormat: 'ndjson' });
  await addFiles(page, [files.brokenJson]);
  await expectState(jobRow(page, 'broken.json'), 'failed');
  expect(await opfsFiles(page, 'outputs')).toEqual([]);
  await page.reload();
  expect(await keptCount(page)).toBe(0);
  await expect(page.getByTestId('job-row')).toHaveCount(0);
});

test('a browser job that runs out of storage fails with io_error, says how much was written, and leaves no file', async ({ page, server, files }) => {
  await openApp(page, server.url);
  // The service worker's cache is in; then this origin gets 10 MB more.
  await page.evaluate(() => navigator.serviceWorker.ready);
  const used = await page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(server.url).origin, quotaSize: used + 10 * MB });

  await applySettings(page, { routeMode: 'browser', outputFormat: 'ndjson' });
  await addFiles(page, [files.bigCsv]);
  const row = jobRow(page, 'big.csv');
  await expectState(row, 'failed');
  const error = row.locator('.job-error');
  await expect(error).toContainText('io_error');
  await expect(error).toContainText(
    /the browser's storage ran out after \d+\.\d MB of output were written\. Free space on this disk, clear the kept results \(under Settings\), or run this file on the server/);
  const written = Number(/after (\d+\.\d) MB/.exec((await error.textContent())!)![1]);
  expect(written).toBeGreaterThan(0);
  expect(written).toBeLessThanOrEqual(10);
  expect(await opfsFiles(page, 'outputs')).toEqual([]);
});

test("another tab's start-up clean-up leaves outputs in use alone and deletes an abandoned one", async ({ page, server, files }) => {
  await openApp(page, server.url);
  await writeOpfsFile(page, 'outputs', 'abandoned-1', 'what a tab that went away left behind');
  // Shown in this page but not kept (bigger than the cap): only its lock says it is in use.
  await applySettings(page, { keptResultsMb: 1 });
  const shown = await runInBrowser(page, files.mediumCsv);
  await expect(page.locator('#kept-results-note')).toHaveText(/medium\.csv is not kept/);
  // Still being written.
  await addFiles(page, [files.bigCsv]);
  const row = jobRow(page, 'big.csv');
  await expectState(row, 'parsing');
  const writing = (await row.getAttribute('data-job-id'))!;
  await expect.poll(async () => (await opfsFiles(page, 'outputs')).find((f) => f.name === writing)?.size ?? 0).toBeGreaterThan(0);

  const other = await page.context().newPage();
  await openApp(other, server.url);
  expect(await keptCount(other)).toBe(0);
  expect((await opfsFiles(other, 'outputs')).map((f) => f.name)).toEqual([shown, writing].sort());
  const results = await showResults(page, 'medium.csv');
  expect((await downloadOutput(page, results)).bytes.length).toBeGreaterThan(MB);

  // Cancelled, the one being written goes too.
  await row.locator('button.job-cancel').click();
  await expectState(row, 'cancelled');
  await expect.poll(async () => (await opfsFiles(other, 'outputs')).map((f) => f.name)).toEqual([shown]);
  await other.close();
});

test('where workers cannot write files, outputs stay in memory and the page says so', async ({ playwright, files, scratch }) => {
  // A page over plain http from a name other than localhost is no secure context: no
  // private file system, no Web Locks. The server answers to that name only when told to.
  const server = await Server.start({ extraArgs: ['--allow-host', 'fastthread.test'] });
  const browser = await playwright.chromium.launch({
    executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, '--host-resolver-rules=MAP fastthread.test 127.0.0.1'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(server.url.replace('127.0.0.1', 'fastthread.test'));
    expect(await page.evaluate(() => window.isSecureContext)).toBe(false);
    const cli = await parseWithCli(files.mediumCsv, 'ndjson', scratch);
    await runInBrowser(page, files.mediumCsv);
    await expect(page.getByTestId('browser-output-note')).toHaveText(/^Outputs are held in this tab's memory: .*results are not kept across reloads\.$/);
    await expect(keptResults(page)).toHaveAttribute('data-available', 'false');
    await expect(page.locator('#kept-results-usage')).toHaveText(/^Results are not kept in this browser: /);
    const output = await downloadOutput(page, await showResults(page, 'medium.csv'));
    expect(firstDifference(output.bytes, cli.output!), 'browser output against fastthread parse').toBeNull();

    await page.reload();
    await expect(keptResults(page)).toHaveAttribute('data-available', 'false');
    await expect(page.getByTestId('job-row')).toHaveCount(0);
  } finally {
    await browser.close();
    await server.dispose();
  }
});
