// Bad input: a tolerated bad row is listed with its row number; input that breaks the job
// fails it with a readable error naming the row.
import { basename } from 'node:path';
import { addFiles, applySettings, expectState, jobRow, openApp, showResults, type RouteMode } from '../support/app';
import { parseWithCli } from '../support/cli';
import { RAGGED_ROW } from '../support/data';
import { expect, test } from '../support/fixtures';

for (const routeMode of ['browser', 'server'] as RouteMode[]) {
  test(`a ragged CSV row is reported as row ${RAGGED_ROW} (${routeMode})`, async ({ page, server, files, scratch }) => {
    const cli = await parseWithCli(files.raggedCsv, 'ndjson', scratch);
    expect(cli.summary.errors!.first[0].row).toBe(RAGGED_ROW);

    await openApp(page, server.url);
    await applySettings(page, { routeMode });
    await addFiles(page, [files.raggedCsv]);
    const row = jobRow(page, basename(files.raggedCsv));
    await expect(row).toHaveAttribute('data-host', routeMode);
    // The page asks for the default options (max_errors 100): the job finishes and lists
    // the bad row with its number.
    await expectState(row, 'done');
    await expect(row.locator('.job-error')).toHaveCount(0);
    const results = await showResults(page, basename(files.raggedCsv));
    const errors = results.locator('.result-errors li');
    await expect(errors).toHaveCount(cli.summary.errors!.first.length);
    await expect(errors.first()).toContainText(`row ${RAGGED_ROW}`);
    await expect(results.locator('table.preview tr:has(td)')).toHaveCount(cli.summary.rows);
  });

  test(`invalid JSON in a .json array stops the job at a named row (${routeMode})`, async ({ page, server, files, scratch }) => {
    const cli = await parseWithCli(files.brokenJson, 'ndjson', scratch);
    expect(cli.exitCode).toBe(1);
    const place = cli.summary.error!.place!;

    await openApp(page, server.url);
    await applySettings(page, { routeMode });
    await addFiles(page, [files.brokenJson]);
    const row = jobRow(page, basename(files.brokenJson));
    await expect(row).toHaveAttribute('data-host', routeMode);
    await expectState(row, 'failed');
    const error = row.locator('.job-error');
    await expect(error).toHaveAttribute('role', 'alert');
    // The bad row past the default max_errors (100) is the one that stopped it.
    await expect(error).toContainText(new RegExp(`\\brow ${place.row}\\b`));
    await expect(row.locator('button.job-cancel')).toBeDisabled();
    await expect(row.locator('button.job-move')).toBeVisible();
  });
}
