// The results of a file with long values, on both hosts: the preview reads as much of the
// output as its first 20 rows take (at most 16 MB, and it says so when that cuts it), a
// long value is cut in the page and shown whole on demand, nothing sticks out of its card,
// downloads are never named like the input, and every number says its unit, an
// approximate one with "≈" and how far off it may be.
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Locator, Page } from '@playwright/test';
import {
  addFiles, applySettings, columnCard, columnFact, expectState, horizontalOverflow, jobRow, openApp, openWholeValue,
  previewCell, previewNote, previewRows, savedNames, schemaCell, showResults, wholeValueText,
  type OutputFormat, type RouteMode,
} from '../support/app';
import { parseWithCli, type SummaryJson } from '../support/cli';
import { writeLongFieldCsv, writeRowsPastCap, writeSketchedCsv } from '../support/data';
import { expect, test } from '../support/fixtures';

// The column cards and every preview cell are cards of their own: nothing may leave them.
const CARDS = 'article.column-detail, table.preview td, table.preview th';

interface Numeric {
  type: string; mean: unknown; stddev: number; p50: unknown; rank_error: number;
  histogram: { min: unknown; max: unknown; counts: number[]; error: number };
}
interface Column {
  name: string; type: string; count: number; nulls: number; length: { min: number; max: number } | null;
  distinct: { value: number; exact: boolean; error: number };
  top: { exact: boolean; values: { value: string; count: number; error: number }[] };
  numeric: Numeric | null;
}

function column(summary: SummaryJson, name: string): Column {
  const found = (summary.columns as unknown as Column[]).find((c) => c.name === name);
  expect(found, `the summary has a column ${name}`).toBeTruthy();
  return found!;
}

const count = (n: number) => n.toLocaleString('en-US');

async function runJob(page: Page, url: string, path: string, routeMode: RouteMode, to: OutputFormat): Promise<Locator> {
  await openApp(page, url);
  await applySettings(page, { routeMode, outputFormat: to });
  await addFiles(page, [path]);
  const row = jobRow(page, basename(path));
  await expect(row).toHaveAttribute('data-host', routeMode);
  await expectState(row, 'done', 60_000);
  return showResults(page, basename(path));
}

async function textOf(locator: Locator): Promise<string> {
  return locator.evaluate((e) => e.textContent ?? '');
}

// A cut value shows a start of the whole and says how many characters it leaves out.
async function expectCut(holder: Locator, whole: string): Promise<void> {
  const start = await textOf(holder.locator('.value-start'));
  expect(start.endsWith('…'), 'a cut value ends with an ellipsis').toBe(true);
  const shown = start.slice(0, -1);
  expect(whole.startsWith(shown), 'the start shown is the value\'s own').toBe(true);
  expect(shown.length).toBeLessThanOrEqual(200);
  await expect(holder.locator('button.value-more')).toHaveText(`${count([...whole].length - [...shown].length)} more characters`);
}

const LONG_FIELD_CASES: { routeMode: RouteMode; to: OutputFormat }[] = [
  { routeMode: 'browser', to: 'csv' }, { routeMode: 'browser', to: 'ndjson' }, { routeMode: 'browser', to: 'json' },
  { routeMode: 'server', to: 'csv' }, { routeMode: 'server', to: 'ndjson' },
];

for (const { routeMode, to } of LONG_FIELD_CASES) {
  test(`a 10 MB field previews its 2 rows, cut, and whole on demand (${to} output, in the ${routeMode})`, async ({ page, server, scratch }) => {
    const file = writeLongFieldCsv(scratch);
    const { summary } = await parseWithCli(file.path, 'none', scratch);
    const note = column(summary, 'note');
    const results = await runJob(page, server.url, file.path, routeMode, to);

    await expect(previewRows(results)).toHaveCount(2);
    await expect(previewNote(results)).toHaveAttribute('data-extent', 'all');
    await expect(previewNote(results)).toHaveText('All 2 rows of the output.');
    const cell = await previewCell(results, 1, 'note');
    await expectCut(cell, file.long);
    await expect(await previewCell(results, 2, 'note')).toHaveText('short');

    // Opened by the keyboard, closed by Escape: the whole value, and focus back on its button.
    const dialog = await openWholeValue(page, cell);
    const whole = await wholeValueText(dialog);
    expect(whole.length, 'the whole value\'s length').toBe(file.long.length);
    expect(whole === file.long, 'the whole value is the field as written').toBe(true);
    // The page counts its characters as the summary counts the length: in code points.
    await expect(dialog.locator('.value-size')).toHaveText(`${count(note.length!.max)} characters`);
    expect(await horizontalOverflow(dialog, 'pre')).toEqual([]);
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(cell.locator('button.value-more')).toBeFocused();

    // The top value of `word`: cut in its card; whole, it is the summary's first 256 bytes.
    const top = columnCard(results, 'word').locator('.top-values li').first();
    await expectCut(top.locator('.top-value'), file.word.slice(0, 256));
    await top.locator('button.value-more').click();
    await expect(dialog).toBeVisible();
    expect(await wholeValueText(dialog)).toBe(file.word.slice(0, 256));
    await expect(dialog.locator('.value-note')).toContainText('first 256 bytes');
    await dialog.locator('button.value-close').click();
    await expect(dialog).toBeHidden();
    await expect(top.locator('button.value-more')).toBeFocused();

    await expect(schemaCell(results, 'note', 'min').locator('button.value-more')).toBeVisible();
    expect(await horizontalOverflow(results, CARDS)).toEqual([]);
  });
}

for (const [routeMode, to] of [['browser', 'ndjson'], ['server', 'csv']] as const) {
  test(`an output whose first 20 rows pass 16 MB previews the rows that fit and says so (${to}, in the ${routeMode})`, async ({ page, server, scratch }) => {
    const path = writeRowsPastCap(scratch);
    const results = await runJob(page, server.url, path, routeMode, to);
    await expect(previewNote(results)).toHaveAttribute('data-extent', 'cap');
    await expect(previewNote(results)).toHaveText(
      'The preview reads at most 16 MB of the output: 2 rows fit in it; download the output for the rest.');
    await expect(previewRows(results)).toHaveCount(2);
    await expectCut(await previewCell(results, 2, 'text'), 'b'.repeat(7_000_000));
    expect(await horizontalOverflow(results, CARDS)).toEqual([]);
  });
}

for (const routeMode of ['browser', 'server'] as const) {
  test(`downloads are named after the input, never as it (in the ${routeMode})`, async ({ page, server, files, scratch }) => {
    const gz = join(scratch, 'sales.csv.gz');
    writeFileSync(gz, gzipSync(Buffer.from('id,city\n1,Oslo\n2,Lima\n')));
    await openApp(page, server.url);
    for (const [path, to, output, summary] of [
      [files.peopleCsv, 'csv', 'people.fastthread.csv', 'people.summary.json'],
      [files.mediumNdjson, 'ndjson', 'medium.fastthread.ndjson', 'medium.summary.json'],
      [gz, 'csv', 'sales.fastthread.csv', 'sales.summary.json'],
    ] as const) {
      await applySettings(page, { routeMode, outputFormat: to });
      await addFiles(page, [path]);
      await expectState(jobRow(page, basename(path)), 'done', 60_000);
      const results = await showResults(page, basename(path));
      expect(await savedNames(page, results), basename(path)).toEqual({ output, summary });
    }
  });

  test(`a date column's numbers say their unit, and exact numbers carry no ≈ (in the ${routeMode})`, async ({ page, server, files, scratch }) => {
    const { summary } = await parseWithCli(files.peopleCsv, 'none', scratch);
    const joined = column(summary, 'joined');
    const numeric = joined.numeric!;
    expect(numeric.type).toBe('date');
    const results = await runJob(page, server.url, files.peopleCsv, routeMode, 'ndjson');

    // A sample standard deviation of dates is a span of time.
    const stddev = columnFact(results, 'joined', 'stddev');
    await expect(stddev).toHaveText(/^\d+(\.\d+)? days$/);
    expect(parseFloat(await textOf(stddev))).toBe(Number(numeric.stddev.toPrecision(3)));
    await expect(columnFact(results, 'joined', 'mean')).toHaveText(String(numeric.mean));
    await expect(columnFact(results, 'joined', 'p50')).toHaveText(/^\d{4}-\d{2}-\d{2}$/);
    await expect(columnFact(results, 'joined', 'histogram-min')).toHaveText(`from ${numeric.histogram.min}`);
    await expect(columnFact(results, 'joined', 'histogram-max')).toHaveText(`to ${numeric.histogram.max}`);
    const days = (Date.parse(String(numeric.histogram.max)) - Date.parse(String(numeric.histogram.min))) / 86_400_000;
    await expect(columnFact(results, 'joined', 'histogram-shape'))
      .toHaveText(`20 bars, each ${Number((days / 20).toPrecision(3))} days wide`);

    const name = column(summary, 'name');
    await expect(columnFact(results, 'name', 'length')).toHaveText(`${name.length!.min}–${name.length!.max} characters`);
    const note = column(summary, 'note');
    await expect(columnFact(results, 'note', 'nulls')).toHaveText(`${note.nulls} (${((note.nulls * 100) / note.count).toFixed(1)}%)`);
    await expect(schemaCell(results, 'note', 'nulls')).toHaveText(`${note.nulls} (${((note.nulls * 100) / note.count).toFixed(1)}%)`);

    // Nothing in this small file is sketched.
    const score = column(summary, 'score');
    expect(score.numeric!.rank_error).toBe(0);
    await expect(columnFact(results, 'score', 'p50')).toHaveText(String(score.numeric!.p50));
    await expect(columnCard(results, 'score')).not.toContainText('≈');
    await expect(results.locator('table.schema')).not.toContainText('≈');
  });

  test(`sketched numbers are marked ≈ with their stated error (in the ${routeMode})`, async ({ page, server, scratch }) => {
    const path = writeSketchedCsv(scratch);
    const { summary } = await parseWithCli(path, 'none', scratch);
    const id = column(summary, 'id');
    const kind = column(summary, 'kind');
    const t = column(summary, 't');
    // The file makes every sketch approximate; if it did not, this test would prove nothing.
    expect(id.distinct.exact).toBe(false);
    expect(id.numeric!.rank_error).toBeGreaterThan(0);
    expect(id.numeric!.histogram.error).toBeGreaterThan(0);
    expect(kind.top.values.some((v) => v.error > 0)).toBe(true);
    expect(t.type).toBe('datetime');
    const results = await runJob(page, server.url, path, routeMode, 'none');

    const distinct = `≈${count(id.distinct.value)} ±0.81%`;
    await expect(schemaCell(results, 'id', 'distinct')).toHaveText(distinct);
    await expect(columnFact(results, 'id', 'distinct')).toHaveText(distinct);
    for (const q of ['p50', 'p90', 'p99']) await expect(columnFact(results, 'id', q)).toHaveText(/^≈[\d,.-]+$/);
    await expect(columnFact(results, 'id', 'rank-error')).toHaveText('±1.65% of the ranks');
    await expect(columnFact(results, 'id', 'histogram-shape')).toContainText(`≈ each bar ±${count(id.numeric!.histogram.error)} values`);
    const counts = await columnCard(results, 'kind').locator('.top-count').allTextContents();
    expect(counts).toEqual(kind.top.values.map((v) => (v.error > 0 ? `≈${count(v.count)}–${count(v.count + v.error)}` : count(v.count))));
    await expect(columnCard(results, 'kind').locator('h5')).toContainText('approximate');

    // A datetime column: its spread is a span of time, its quantiles datetimes.
    await expect(columnFact(results, 't', 'stddev')).toHaveText(/^\d+(\.\d+)? days$/);
    await expect(columnFact(results, 't', 'p50')).toHaveText(/^≈\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    await expect(columnFact(results, 't', 'histogram-shape')).toHaveText(/^20 bars, each [\d.]+ days wide; ≈ each bar ±[\d,]+ values$/);
    expect(await horizontalOverflow(results, CARDS)).toEqual([]);
  });
}
