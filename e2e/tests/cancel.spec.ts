// Cancel: a running server job and a queued browser job both end as cancelled, and the
// server keeps nothing of them.
import { readdirSync } from 'node:fs';
import { basename } from 'node:path';
import {
  LONG_JOB_MS, addFiles, applySettings, expectState, jobRow, openApp, poolPanel, recordJobStates, statesOf,
} from '../support/app';
import { expect, test } from '../support/fixtures';

test('a running server job is cancelled and its spool file goes', async ({ page, server, files }) => {
  await recordJobStates(page);
  await openApp(page, server.url);
  await applySettings(page, { routeMode: 'server' });
  await addFiles(page, [files.bigCsv]);
  const name = basename(files.bigCsv);
  const row = jobRow(page, name);
  await expect(row).toHaveAttribute('data-host', 'server');
  await expectState(row, /^(uploading|parsing)$/);
  const cancel = row.locator('button.job-cancel');
  await expect(cancel).toHaveAccessibleName(`Cancel ${name}`);
  await cancel.click();

  await expectState(row, 'cancelled');
  await expect(row.locator('.job-state')).toContainText(/cancel/i);
  await expect(cancel).toBeHidden();
  expect(await statesOf(page, name)).not.toContain('done');
  await expect(poolPanel(page, 'server')).toHaveAttribute('data-busy', '0');
  await expect.poll(() => readdirSync(server.spoolDir), { message: `${server.spoolDir} is emptied` }).toEqual([]);
});

test('a queued browser job is cancelled before it runs', async ({ page, server, files }) => {
  await recordJobStates(page);
  await openApp(page, server.url);
  await applySettings(page, { routeMode: 'browser', outputFormat: 'none' });
  const pool = poolPanel(page, 'browser');
  await expect(pool).toHaveAttribute('data-workers', /^[1-9]\d*$/);
  const workers = Number(await pool.getAttribute('data-workers'));
  expect(workers).toBeLessThanOrEqual(files.bigCopies.length);

  // One long job per worker, then a small one that has to wait.
  const long = files.bigCopies.slice(0, workers);
  await addFiles(page, [...long, files.peopleCsv]);
  const small = jobRow(page, basename(files.peopleCsv));
  await expect(small).toHaveAttribute('data-host', 'browser');
  await expectState(small, 'queued');
  await expect(pool).toHaveAttribute('data-queued', '1');
  await small.locator('button.job-cancel').click();
  await expectState(small, 'cancelled');
  expect(await statesOf(page, basename(files.peopleCsv))).toEqual(['queued', 'cancelled']);
  await expect(pool).toHaveAttribute('data-queued', '0');

  // The running ones are still running; cancel them too.
  for (const path of long) {
    const row = jobRow(page, basename(path));
    await expectState(row, 'parsing');
    await row.locator('button.job-cancel').click();
  }
  for (const path of long) await expectState(jobRow(page, basename(path)), 'cancelled', LONG_JOB_MS);
  await expect(pool).toHaveAttribute('data-busy', '0');
  // Browser jobs never reach the server.
  expect(readdirSync(server.spoolDir)).toEqual([]);
});
