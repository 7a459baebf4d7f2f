// Files in other encodings read the same wherever they run: a Windows-1252 export with
// Excel's sep= line and a UTF-16 "Unicode Text" give fastthread parse's output and summary
// in the browser and on the server; the encoding option reaches both hosts; a file that is
// not text is refused by both with the same message.
import type { Page } from '@playwright/test';
import { basename, resolve } from 'node:path';
import {
  addFiles, applySettings, downloadOutput, downloadSummary, expectState, jobRow, openApp, showResults,
  type RouteMode, type Settings,
} from '../support/app';
import { comparable, firstDifference, parseWithCli } from '../support/cli';
import { expect, test } from '../support/fixtures';
import { REPO } from '../support/paths';

const DATA = resolve(REPO, 'tests/data/encodings');
const HOSTS: RouteMode[] = ['browser', 'server'];

async function runIn(page: Page, url: string, file: string, settings: Settings) {
  await openApp(page, url);
  await applySettings(page, { outputFormat: 'ndjson', ...settings });
  await addFiles(page, [file]);
  const row = jobRow(page, basename(file));
  await expect(row).toHaveAttribute('data-host', settings.routeMode!);
  await expectState(row, 'done');
  const results = await showResults(page, basename(file));
  return { output: await downloadOutput(page, results), summary: await downloadSummary(page, results) };
}

for (const routeMode of HOSTS) {
  for (const name of ['excel_1252_sep.csv', 'excel_unicode_text.txt']) {
    test(`${name} in the ${routeMode} gives fastthread parse's output and summary`, async ({ page, server, scratch }) => {
      const file = resolve(DATA, name);
      const cli = await parseWithCli(file, 'ndjson', scratch);
      expect(cli.exitCode).toBe(0);
      const got = await runIn(page, server.url, file, { routeMode });
      expect(firstDifference(got.output.bytes, cli.output!)).toBeNull();
      expect(comparable(got.summary)).toEqual(comparable(cli.summary));
    });
  }

  test(`the encoding option reaches the ${routeMode} as --encoding does`, async ({ page, server, scratch }) => {
    const file = resolve(DATA, 'latin1.csv');
    const cli = await parseWithCli(file, 'ndjson', scratch, ['--encoding', 'latin-1']);
    const got = await runIn(page, server.url, file, { routeMode, encoding: 'latin-1' });
    expect((got.summary.format as Record<string, unknown>).encoding).toBe('latin-1');
    expect(firstDifference(got.output.bytes, cli.output!)).toBeNull();
    expect(comparable(got.summary)).toEqual(comparable(cli.summary));
  });

  test(`a PNG is refused in the ${routeMode} as not text`, async ({ page, server, scratch }) => {
    const file = resolve(DATA, 'image.png');
    const cli = await parseWithCli(file, 'ndjson', scratch);
    expect(cli.exitCode).toBe(1);
    await openApp(page, server.url);
    await applySettings(page, { routeMode });
    await addFiles(page, [file]);
    const row = jobRow(page, basename(file));
    await expectState(row, 'failed');
    await expect(row.locator('.job-error')).toContainText('the file looks like a PNG image, not text');
  });
}
