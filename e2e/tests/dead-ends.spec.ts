// No dead ends: every finished file opens its results, whatever its summary holds; a file
// done with bad rows says so in its row; a failed one says why and offers a way out, and
// keeps its reason across a reload.
import { basename } from 'node:path';
import {
  addFiles, applySettings, downloadSummary, expectState, jobRow, openApp, serverStatus, showResults, type RouteMode,
} from '../support/app';
import { parseWithCli } from '../support/cli';
import { expect, test } from '../support/fixtures';

for (const routeMode of ['browser', 'server'] as RouteMode[]) {
  test(`a file whose every row is bad opens its results (${routeMode})`, async ({ page, server, files, scratch }) => {
    const cli = await parseWithCli(files.allBadCsv, 'ndjson', scratch);
    expect(cli.summary.rows).toBe(0);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await openApp(page, server.url);
    await applySettings(page, { routeMode });
    await addFiles(page, [files.allBadCsv]);
    const name = basename(files.allBadCsv);
    const row = jobRow(page, name);
    await expectState(row, 'done');
    await expect(row).toHaveAttribute('data-bad-rows', String(cli.summary.bad_rows));
    await expect(row.locator('.job-bad-rows')).toHaveText(`${cli.summary.bad_rows} bad rows`);

    const results = await showResults(page, name);
    await expect(results.getByTestId('result-trouble')).toContainText(/every row of this file was bad/i);
    await expect(results.locator('.empty-columns')).toContainText(cli.summary.columns![0].name);
    await expect(results.locator('#result-errors li')).toHaveCount(cli.summary.errors!.first.length);
    const summary = await downloadSummary(page, results);
    expect(summary.bad_rows).toBe(cli.summary.bad_rows);

    // The row's link goes straight to the bad rows, and the focus with it.
    await results.evaluate((r) => { r.scrollTop = 0; });
    await row.locator('.job-bad-rows').click();
    await expect(page.locator('#result-errors')).toBeFocused();
    await expect(page.locator('#result-errors')).toBeInViewport();
    expect(errors, 'the page threw').toEqual([]);
  });
}

test('a file done with some bad rows says so in its row', async ({ page, server, files }) => {
  await openApp(page, server.url);
  await addFiles(page, [files.raggedCsv]);
  const row = jobRow(page, basename(files.raggedCsv));
  await expectState(row, 'done');
  await expect(row.locator('.job-state')).toHaveAttribute('data-trouble', 'bad-rows');
  await expect(row.locator('.job-bad-rows')).toHaveText('1 bad row');
});

test('a file stopped by too many bad rows offers to tolerate them, and then opens', async ({ page, server, files, scratch }) => {
  const cli = await parseWithCli(files.brokenJson, 'ndjson', scratch, ['--max-errors', '-1']);
  await openApp(page, server.url);
  await applySettings(page, { routeMode: 'browser' });
  await addFiles(page, [files.brokenJson]);
  const name = basename(files.brokenJson);
  const row = jobRow(page, name);
  await expectState(row, 'failed');
  await expect(row.locator('.job-error')).toContainText('Too many bad rows.');
  const results = await showResults(page, name);
  const failure = results.getByTestId('result-failure');
  await expect(failure).toContainText('Too many bad rows.');
  await failure.getByRole('button', { name: /tolerating any number of bad rows/i }).click();
  await expectState(row, 'done');
  await expect(row).toHaveAttribute('data-bad-rows', String(cli.summary.bad_rows));
  await expect(page.getByTestId('results')).toHaveAttribute('data-state', 'done');
  await expect(page.getByTestId('results').locator('.result-overview')).toContainText(String(cli.summary.bad_rows));
});

test('a failed server job keeps its reason after a reload', async ({ page, server, files }) => {
  await openApp(page, server.url);
  await applySettings(page, { routeMode: 'server' });
  await addFiles(page, [files.brokenJson]);
  const name = basename(files.brokenJson);
  const row = jobRow(page, name);
  await expectState(row, 'failed');
  const reason = await row.locator('.job-error').innerText();
  expect(reason).toMatch(/row \d+/);

  await page.reload();
  await expect(serverStatus(page)).toHaveAttribute('data-connected', 'true');
  await expectState(row, 'failed');
  await expect(row.locator('.job-error')).toHaveText(reason);
  // The server's replay came and went, and the row is still what it was.
  await page.waitForTimeout(500);
  await expect(row.locator('.job-error')).toHaveText(reason);
  await expect(row.locator('.job-error')).not.toContainText('not_found');
  const results = await showResults(page, name);
  await expect(results.getByTestId('result-failure')).toContainText(/row \d+/);
  await expect(results.getByTestId('result-failure')).toContainText(/pick broken\.json again/i);
});

test('Run again and Remove act on one row', async ({ page, server, files }) => {
  await openApp(page, server.url);
  await applySettings(page, { routeMode: 'browser' });
  await addFiles(page, [files.peopleCsv, files.raggedCsv]);
  const people = jobRow(page, basename(files.peopleCsv));
  const ragged = jobRow(page, basename(files.raggedCsv));
  await expectState(people, 'done');
  await expectState(ragged, 'done');

  // Run again with the current settings: no types now, so every column is text.
  await page.locator('.more-options summary').click();
  await page.locator('#types').selectOption('none');
  await people.getByRole('button', { name: /run people\.csv again/i }).click();
  await expectState(people, 'done');
  const results = await showResults(page, basename(files.peopleCsv));
  await expect(results.locator('table.schema tr[data-column="score"] td.col-type')).toHaveText('string');

  await ragged.getByRole('button', { name: /remove ragged\.csv/i }).click();
  await expect(ragged).toHaveCount(0);
  await expect(page.getByTestId('overall')).toHaveAttribute('data-files', '1');
});

test('a cancelled file can be retried and then finishes', async ({ page, server, files }) => {
  await openApp(page, server.url);
  // 400 MB: far from done when the cancel reaches it.
  await applySettings(page, { routeMode: 'browser', outputFormat: 'none' });
  const file = files.bigCopies[1];
  await addFiles(page, [file]);
  const row = jobRow(page, basename(file));
  await expectState(row, 'parsing');
  await row.locator('button.job-cancel').click();
  await expectState(row, 'cancelled');
  await row.getByRole('button', { name: `Retry ${basename(file)}`, exact: true }).click();
  await expectState(row, 'done', 90_000);
});
