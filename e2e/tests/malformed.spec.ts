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
    await expect(row.locator('button.job-cancel')).toBeHidden();
    await expect(row.locator('button.job-move')).toBeVisible();
  });
}

for (const routeMode of ['browser', 'server'] as RouteMode[]) {
  test(`reading options reach the ${routeMode}: no bad rows tolerated, no types`, async ({ page, server, files, scratch }) => {
    const cli = await parseWithCli(files.raggedCsv, 'ndjson', scratch, ['--max-errors', '0', '--types', 'none']);
    expect(cli.exitCode).toBe(1);
    expect(cli.summary.error!.place!.row).toBe(RAGGED_ROW);

    await openApp(page, server.url);
    await applySettings(page, { routeMode, maxErrors: 0, types: 'none' });
    await addFiles(page, [files.raggedCsv]);
    const row = jobRow(page, basename(files.raggedCsv));
    await expect(row).toHaveAttribute('data-host', routeMode);
    await expectState(row, 'failed');
    await expect(row.locator('.job-error')).toContainText(cli.summary.error!.message);

    // The same options on a good file: every column is text, as the CLI says.
    const typed = await parseWithCli(files.peopleCsv, 'ndjson', scratch, ['--types', 'none']);
    await addFiles(page, [files.peopleCsv]);
    const good = jobRow(page, basename(files.peopleCsv));
    await expectState(good, 'done');
    const results = await showResults(page, basename(files.peopleCsv));
    for (const column of typed.summary.columns ?? []) {
      await expect(results.locator(`table.schema tr[data-column="${column.name}"] td.col-type`)).toHaveText(column.type);
    }
    expect((typed.summary.columns ?? []).every((c) => c.type === 'string' || c.type === 'null')).toBe(true);
  });
}
