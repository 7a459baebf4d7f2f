// A small file, picked or dropped, runs in the browser's pool (WebAssembly) and the page
// shows the schema fastthread parse finds.
import { basename } from 'node:path';
import type { Page } from '@playwright/test';
import { addFiles, dropFiles, expectState, jobRow, openApp, progressValue, recordJobStates, showResults, statesOf } from '../support/app';
import { parseWithCli } from '../support/cli';
import { expect, test } from '../support/fixtures';

async function expectBrowserJobWithSchema(page: Page, file: string, scratch: string): Promise<void> {
  const name = basename(file);
  const row = jobRow(page, name);
  await expect(row).toHaveAttribute('data-host', 'browser');
  await expect(row.locator('.job-where')).toContainText(/browser/i);
  await expectState(row, 'done');
  expect(await progressValue(row)).toBe(100);
  await expect(row.locator('.job-percent')).toHaveText('100%');
  await expect(row.locator('.job-state')).toContainText(/done/i);
  await expect(row.locator('button.job-cancel')).toBeHidden();
  expect(await statesOf(page, name)).not.toContain('uploading');

  const { summary } = await parseWithCli(file, 'ndjson', scratch);
  await expect(row.locator('.job-rows')).toContainText(String(summary.rows));
  const results = await showResults(page, name);
  const schema = results.locator('table.schema');
  const columns = summary.columns!;
  await expect(schema.locator('tr[data-column]')).toHaveCount(columns.length);
  for (const column of columns) {
    const line = schema.locator(`tr[data-column="${column.name}"]`);
    await expect(line.locator('td.col-type'), column.name).toHaveText(column.type);
    await expect(line.locator('td.col-count'), column.name).toHaveText(String(column.count));
    await expect(line.locator('td.col-distinct'), column.name).toContainText(String(column.distinct.value));
  }
  await expect(results.locator('.result-format')).toContainText('csv');
  await expect(results.locator('table.preview tr:has(td)')).toHaveCount(summary.rows);
}

test.beforeEach(async ({ page }) => {
  await recordJobStates(page);
});

test('a small CSV from the file picker runs in the browser', async ({ page, server, files, scratch }) => {
  await openApp(page, server.url);
  await addFiles(page, [files.peopleCsv]);
  await expectBrowserJobWithSchema(page, files.peopleCsv, scratch);
});

test('a small CSV dropped on the drop zone runs in the browser', async ({ page, server, files, scratch }) => {
  await openApp(page, server.url);
  await dropFiles(page, [files.peopleCsv]);
  await expectBrowserJobWithSchema(page, files.peopleCsv, scratch);
});
