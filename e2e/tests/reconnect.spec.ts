// The page and the server come and go: a reload in the middle of a server job finds the job
// again, and without a server every file runs in the browser.
import type { Page } from '@playwright/test';
import { basename } from 'node:path';
import {
  LONG_JOB_MS, addFiles, applySettings, downloadSummary, expectState, jobRow, openApp, progressValue,
  recordJobStates, serverStatus, showResults, statesOf,
} from '../support/app';
import { parseWithCli } from '../support/cli';
import { expect, test } from '../support/fixtures';

// Resolves once the server says it holds every byte of a job's upload. Call it before the
// page opens its WebSocket.
function uploadComplete(page: Page, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    setTimeout(() => reject(new Error(`no upload progress at 100% within ${timeoutMs} ms`)), timeoutMs);
    page.on('websocket', (socket) => {
      socket.on('framereceived', ({ payload }) => {
        if (typeof payload !== 'string') return;
        const message = JSON.parse(payload) as { op?: string; phase?: string; bytes?: number; total?: number | null };
        if (message.op === 'progress' && message.phase === 'upload' && message.bytes === message.total) resolve();
      });
    });
  });
}

test('a reload while a server job parses finds the job again, and it finishes', async ({ page, server, files, scratch }) => {
  await recordJobStates(page);
  const uploaded = uploadComplete(page, LONG_JOB_MS);
  await openApp(page, server.url);
  await applySettings(page, { routeMode: 'server', outputFormat: 'ndjson' });
  await addFiles(page, [files.slowCsv]);
  const name = basename(files.slowCsv);
  const row = jobRow(page, name);
  const id = await row.getAttribute('data-job-id');
  await uploaded;
  await expectState(row, 'parsing');

  await page.reload();
  await expect(serverStatus(page)).toHaveAttribute('data-connected', 'true');
  await expect(row).toHaveAttribute('data-host', 'server');
  await expect(row).toHaveAttribute('data-job-id', id!);
  // Still parsing after the reload (it had hundreds of MB to go), and then done.
  await expectState(row, 'done', LONG_JOB_MS);
  // (A restored row may show queued until the server's answer comes.)
  expect((await statesOf(page, name)).filter((s) => s !== 'queued')).toEqual(['parsing', 'done']);
  expect(await progressValue(row)).toBe(100);

  // The whole file was parsed: the same rows and column statistics as fastthread parse.
  const cli = await parseWithCli(files.slowCsv, 'none', scratch);
  const summary = await downloadSummary(page, await showResults(page, name));
  expect({ rows: summary.rows, bad_rows: summary.bad_rows, columns: summary.columns })
    .toEqual({ rows: cli.summary.rows, bad_rows: cli.summary.bad_rows, columns: cli.summary.columns });
});

test('with the server gone the page says so and runs new files in the browser', async ({ page, server, files }) => {
  await openApp(page, server.url);
  await applySettings(page, { thresholdMb: 0.5 });
  await server.stop();

  const status = serverStatus(page);
  await expect(status).toHaveAttribute('data-connected', 'false');
  await expect(status).toContainText(/no server/i);

  // Over the threshold, yet there is nowhere else to run it.
  await addFiles(page, [files.mediumCsv]);
  const row = jobRow(page, basename(files.mediumCsv));
  await expect(row).toHaveAttribute('data-host', 'browser');
  await expect(row.locator('.job-where')).toContainText(/no server reachable/i);
  await expectState(row, 'done', 60_000);
  expect(await progressValue(row)).toBe(100);
});
