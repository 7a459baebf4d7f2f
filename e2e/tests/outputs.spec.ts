// The same file gives the same answer wherever it runs: the page's output and summary equal
// fastthread parse's, for a browser job and for a server job (timings aside).
import type { Browser, Page } from '@playwright/test';
import { basename } from 'node:path';
import {
  addFiles, applySettings, downloadOutput, downloadSummary, expectState, jobRow, openApp,
  showResults, type OutputFormat, type RouteMode,
} from '../support/app';
import { comparable, firstDifference, parseWithCli, type CliResult } from '../support/cli';
import type { DataFiles } from '../support/data';
import { expect, test } from '../support/fixtures';

interface Case { title: string; file: (f: DataFiles) => string; to: OutputFormat }

const CASES: Case[] = [
  { title: 'CSV -> NDJSON', file: (f) => f.mediumCsv, to: 'ndjson' },
  { title: 'NDJSON -> CSV', file: (f) => f.mediumNdjson, to: 'csv' },
  { title: 'access log -> CSV', file: (f) => f.mediumLog, to: 'csv' },
  { title: 'small access log -> JSON', file: (f) => f.accessLog, to: 'json' },
];

async function runIn(page: Page, url: string, file: string, routeMode: RouteMode, to: OutputFormat) {
  await openApp(page, url);
  await applySettings(page, { routeMode, outputFormat: to });
  await addFiles(page, [file]);
  const row = jobRow(page, basename(file));
  await expect(row).toHaveAttribute('data-host', routeMode);
  await expectState(row, 'done', 60_000);
  const results = await showResults(page, basename(file));
  const output = await downloadOutput(page, results);
  // Saved beside the input, never over it.
  expect(output.fileName).toBe(`${basename(file).replace(/\.[^.]+$/, '')}.fastthread.${to}`);
  const summary = await downloadSummary(page, results);
  return { output, summary };
}

async function inNewPage<T>(browser: Browser, work: (page: Page) => Promise<T>): Promise<T> {
  const context = await browser.newContext();
  try {
    return await work(await context.newPage());
  } finally {
    await context.close();
  }
}

for (const { title, file: pick, to } of CASES) {
  test(`${title}: a browser job and a server job give fastthread parse's output and summary`, async ({ browser, page, server, files, scratch }) => {
    const file = pick(files);
    const cli: CliResult = await parseWithCli(file, to, scratch);
    expect(cli.exitCode).toBe(0);

    const local = await runIn(page, server.url, file, 'browser', to);
    expect(firstDifference(local.output.bytes, cli.output!), 'browser output against fastthread parse').toBeNull();
    expect(comparable(local.summary), 'browser summary against fastthread parse').toEqual(comparable(cli.summary));

    const remote = await inNewPage(browser, (other) => runIn(other, server.url, file, 'server', to));
    expect(firstDifference(remote.output.bytes, cli.output!), 'server output against fastthread parse').toBeNull();
    expect(comparable(remote.summary), 'server summary against fastthread parse').toEqual(comparable(cli.summary));
    expect(comparable(remote.summary), 'server summary against browser summary').toEqual(comparable(local.summary));
  });
}
