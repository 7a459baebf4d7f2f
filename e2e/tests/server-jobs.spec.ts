// A file over the threshold goes to the server: uploaded, parsed there, and its output and
// summary are fastthread parse's.
import { basename } from 'node:path';
import {
  addFiles, applySettings, downloadOutput, downloadSummary, expectState, jobRow, openApp, progressValue,
  recordJobStates, showResults, statesOf,
} from '../support/app';
import { comparable, firstDifference, parseWithCli } from '../support/cli';
import { expect, test } from '../support/fixtures';

test('a file over the threshold runs on the server', async ({ page, server, files, scratch }) => {
  await recordJobStates(page);
  await openApp(page, server.url);
  await applySettings(page, { thresholdMb: 0.5 });
  await addFiles(page, [files.mediumCsv]);

  const name = basename(files.mediumCsv);
  const row = jobRow(page, name);
  await expect(row).toHaveAttribute('data-host', 'server');
  await expect(row.locator('.job-where')).toContainText(/server: over the threshold/i);
  await expectState(row, 'done', 60_000);
  expect(await progressValue(row)).toBe(100);

  // Every state it went through, in order (a state may be left out only at the start).
  const states = await statesOf(page, name);
  expect(states).toContain('uploading');
  expect(states).toContain('parsing');
  expect(states.indexOf('uploading')).toBeLessThan(states.indexOf('parsing'));
  expect(states.at(-1)).toBe('done');

  const cli = await parseWithCli(files.mediumCsv, 'ndjson', scratch);
  const results = await showResults(page, name);
  const output = await downloadOutput(page, results);
  expect(firstDifference(output.bytes, cli.output!), 'the output against fastthread parse\'s').toBeNull();
  expect(comparable(await downloadSummary(page, results))).toEqual(comparable(cli.summary));
});
