// Compressed files: a gzip file gives fastthread parse's output and summary in the browser
// (DecompressionStream) and on the server (zlib); zstd goes to the server, and what the
// browser cannot read fails with a reason.
import { execFile } from 'node:child_process';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { pipeline } from 'node:stream/promises';
import { constants, createGzip, gzipSync } from 'node:zlib';
import type { Browser, Page } from '@playwright/test';
import {
  addFiles, applySettings, downloadOutput, downloadSummary, expectState, jobRow, openApp, showResults,
  type RouteMode,
} from '../support/app';
import { comparable, firstDifference, parseWithCli } from '../support/cli';
import { expect, test } from '../support/fixtures';

const run = promisify(execFile);

async function runIn(page: Page, url: string, file: string, name: string, routeMode: RouteMode) {
  await openApp(page, url);
  await applySettings(page, { routeMode, outputFormat: 'ndjson' });
  await addFiles(page, [file]);
  const row = jobRow(page, name);
  await expect(row).toHaveAttribute('data-host', routeMode);
  await expectState(row, 'done', 60_000);
  const results = await showResults(page, name);
  return { output: await downloadOutput(page, results), summary: await downloadSummary(page, results) };
}

async function inNewPage<T>(browser: Browser, work: (page: Page) => Promise<T>): Promise<T> {
  const context = await browser.newContext();
  try {
    return await work(await context.newPage());
  } finally {
    await context.close();
  }
}

test('a gzip file gives the same output and summary in the browser, on the server and in fastthread parse', async ({ browser, page, server, files, scratch }) => {
  const file = join(scratch, 'medium.csv.gz');
  writeFileSync(file, gzipSync(readFileSync(files.mediumCsv)));
  const cli = await parseWithCli(file, 'ndjson', scratch);
  expect(cli.exitCode).toBe(0);
  expect(cli.summary.file).toMatchObject({ compression: 'gzip', compressed_bytes: readFileSync(file).length });

  const local = await runIn(page, server.url, file, 'medium.csv.gz', 'browser');
  expect(firstDifference(local.output.bytes, cli.output!), 'browser output against fastthread parse').toBeNull();
  expect(comparable(local.summary), 'browser summary against fastthread parse').toEqual(comparable(cli.summary));

  const remote = await inNewPage(browser, (other) => runIn(other, server.url, file, 'medium.csv.gz', 'server'));
  expect(firstDifference(remote.output.bytes, cli.output!), 'server output against fastthread parse').toBeNull();
  expect(comparable(remote.summary), 'server summary against fastthread parse').toEqual(comparable(cli.summary));
});

test('a zstd file goes to the server whatever its size; in the browser it is unsupported', async ({ browser, page, server, files, scratch }) => {
  const file = join(scratch, 'people.csv.zst');
  await run('zstd', ['-q', '-f', files.peopleCsv, '-o', file]);
  const cli = await parseWithCli(file, 'ndjson', scratch);
  expect(cli.exitCode).toBe(0);

  await openApp(page, server.url);
  await applySettings(page, { routeMode: 'auto', outputFormat: 'ndjson' });
  await addFiles(page, [file]);
  const row = jobRow(page, 'people.csv.zst');
  await expect(row).toHaveAttribute('data-host', 'server');
  await expect(row.locator('.job-where')).toContainText('zstd is decompressed on the server');
  await expectState(row, 'done');
  const results = await showResults(page, 'people.csv.zst');
  expect(comparable(await downloadSummary(page, results))).toEqual(comparable(cli.summary));

  await inNewPage(browser, async (other) => {
    await openApp(other, server.url);
    await applySettings(other, { routeMode: 'browser', outputFormat: 'ndjson' });
    await addFiles(other, [file]);
    const local = jobRow(other, 'people.csv.zst');
    await expectState(local, 'failed');
    await expect(local.locator('.job-error')).toContainText('unsupported');
    await expect(local.locator('.job-error')).toContainText('the browser cannot decompress zstd');
  });
});

// Chromium's DecompressionStream reads one member only (see frontend/src/local/gunzip.ts).
test('a gzip of two members runs on the server; in the browser it fails pointing there, or passes there by itself', async ({ browser, page, server, files, scratch }) => {
  const csv = readFileSync(files.peopleCsv);
  const cut = csv.indexOf('\n3,');
  const file = join(scratch, 'two.csv.gz');
  writeFileSync(file, Buffer.concat([gzipSync(csv.subarray(0, cut + 1)), gzipSync(csv.subarray(cut + 1))]));
  const cli = await parseWithCli(file, 'ndjson', scratch);
  expect(cli.summary.rows).toBe(6);

  const remote = await runIn(page, server.url, file, 'two.csv.gz', 'server');
  expect(comparable(remote.summary)).toEqual(comparable(cli.summary));

  await inNewPage(browser, async (other) => {
    await openApp(other, server.url);
    await applySettings(other, { routeMode: 'browser', outputFormat: 'ndjson' });
    await addFiles(other, [file]);
    const local = jobRow(other, 'two.csv.gz');
    await expectState(local, 'failed');
    await expect(local.locator('.job-error')).toContainText('unsupported');
    await expect(local.locator('.job-error')).toContainText('run it on the server');
  });

  // Routed by the page (small: the browser first), it passes to the server by itself.
  await inNewPage(browser, async (other) => {
    await openApp(other, server.url);
    await applySettings(other, { routeMode: 'auto', outputFormat: 'ndjson' });
    await addFiles(other, [file]);
    const row = jobRow(other, 'two.csv.gz');
    await expectState(row, 'done');
    await expect(row).toHaveAttribute('data-host', 'server');
    await expect(row.locator('.job-where')).toContainText('could not read this gzip file');
    await expect(row.locator('.job-rows')).toContainText('6');
  });
});

test('a truncated gzip fails in the browser as it does natively, never done', async ({ page, server, files, scratch }) => {
  const whole = gzipSync(readFileSync(files.mediumCsv));
  const file = join(scratch, 'cut.csv.gz');
  writeFileSync(file, whole.subarray(0, whole.length >> 1));
  const cli = await parseWithCli(file, 'none', scratch);
  expect(cli.exitCode).toBe(1);
  expect(cli.summary.error?.code).toBe('corrupt_input');

  await openApp(page, server.url);
  await applySettings(page, { routeMode: 'browser', outputFormat: 'ndjson' });
  await addFiles(page, [file]);
  const row = jobRow(page, 'cut.csv.gz');
  await expectState(row, 'failed', 60_000);
  await expect(row.locator('.job-error')).toContainText(`the gzip data is truncated: it ends at compressed byte ${whole.length >> 1}`);
});

// 1 GiB of newlines, about 1 MB of gzip, made as a stream (never 1 GiB in memory).
async function writeGzipBomb(file: string): Promise<void> {
  const zeros = Buffer.alloc(1 << 20, 0x0a);  // newlines: text, so only the expansion limit stops it
  async function* gib() {
    for (let i = 0; i < 1024; i++) yield zeros;
  }
  await pipeline(gib(), createGzip({ level: 9, strategy: constants.Z_RLE }), createWriteStream(file));
}

async function expectTooLarge(page: Page, url: string, file: string, routeMode: RouteMode): Promise<void> {
  await openApp(page, url);
  await applySettings(page, { routeMode, outputFormat: 'ndjson' });
  await addFiles(page, [file]);
  const row = jobRow(page, basename(file));
  await expect(row).toHaveAttribute('data-host', routeMode);
  await expectState(row, 'failed', 60_000);
  await expect(row.locator('.job-error')).toContainText('too_large');
  await expect(row.locator('.job-error')).toContainText('limits.max_expansion_ratio');
}

test('a gzip bomb stops early with too_large in the browser and on the server', async ({ browser, page, server, scratch }) => {
  const file = join(scratch, 'zeros.csv.gz');
  await writeGzipBomb(file);
  const cli = await parseWithCli(file, 'none', scratch);
  expect(cli.exitCode).toBe(1);
  expect(cli.summary.error?.code).toBe('too_large');

  await expectTooLarge(page, server.url, file, 'browser');
  await inNewPage(browser, (other) => expectTooLarge(other, server.url, file, 'server'));
});
