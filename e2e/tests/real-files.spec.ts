// The files people actually have: an Excel export in Windows-1252 with its `sep=;` line,
// Excel's "Unicode Text" (UTF-16 with a BOM, tab-separated) and a gzipped CSV. Dropped into
// the page, each is read right on both hosts: the rows and the types shown are the ones
// `fastthread parse` finds, and the text arrives as UTF-8.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from '@playwright/test';
import { applySettings, dropFiles, expectState, jobRow, openApp, showResults } from '../support/app';
import { parseWithCli } from '../support/cli';
import { expect, test } from '../support/fixtures';

interface RealFile { name: string; bytes: Buffer; format: string; encoding: string; text: string }

function realFiles(): RealFile[] {
  const latin1 = (s: string) => Buffer.from(s, 'latin1');
  const excel1252 = latin1('sep=;\r\nName;City;Price;Sold\r\nJos\u00e9;Z\u00fcrich;1,50;2024-03-01\r\n' +
    'Fran\u00e7oise;K\u00f8benhavn;2,75;2024-03-02\r\nRen\u00e9e;M\u00fcnchen;12,00;2024-03-03\r\n');
  const unicodeText = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(
    'id\tname\tamount\r\n1\t\u0141\u00f3d\u017a\t10.5\r\n2\t\u6771\u4eac\t20\r\n3\t\u041c\u043e\u0441\u043a\u0432\u0430\t-3.25\r\n4\t\u{1F600} smile\t0\r\n', 'utf16le')]);
  const csv = 'id,city,temp\n' + Array.from({ length: 50 }, (_, i) => `${i + 1},${['Oslo', 'Lima', 'Pune'][i % 3]},${(i * 0.5).toFixed(1)}`).join('\n') + '\n';
  return [
    { name: 'excel-export.csv', bytes: excel1252, format: 'csv', encoding: 'windows-1252', text: 'Z\u00fcrich' },
    { name: 'unicode-text.txt', bytes: unicodeText, format: 'tsv', encoding: 'utf-16le', text: '\u0141\u00f3d\u017a' },
    { name: 'sales.csv.gz', bytes: gzipSync(Buffer.from(csv)), format: 'csv', encoding: 'utf-8', text: 'Pune' },
  ];
}

async function expectReadAsTheCliReadsIt(page: Page, path: string, file: RealFile, scratch: string): Promise<void> {
  const row = jobRow(page, file.name);
  await expectState(row, 'done');
  const { summary } = await parseWithCli(path, 'ndjson', scratch);
  expect(summary.status).toBe('done');
  expect(summary.bad_rows).toBe(0);
  expect((summary.format as { encoding: string }).encoding).toBe(file.encoding);
  await expect(row.locator('.job-rows')).toContainText(String(summary.rows));
  const results = await showResults(page, file.name);
  await expect(results.locator('.result-format')).toContainText(file.format, { ignoreCase: true });
  if (file.encoding !== 'utf-8') await expect(results.locator('.result-format')).toContainText(file.encoding);
  const schema = results.locator('table.schema');
  await expect(schema.locator('tr[data-column]')).toHaveCount(summary.columns!.length);
  for (const column of summary.columns!) {
    await expect(schema.locator(`tr[data-column="${column.name}"] td.col-type`), column.name).toHaveText(column.type);
  }
  await expect(results.locator('table.preview tr:has(td)')).toHaveCount(Math.min(summary.rows, 20));  // the preview's first 20
  await expect(results.locator('table.preview')).toContainText(file.text);
}

for (const routeMode of ['browser', 'server'] as const) {
  test(`an Excel export, Excel's Unicode Text and a .csv.gz read right in the ${routeMode}`, async ({ page, server, scratch }) => {
    const files = realFiles();
    const paths = files.map((f) => {
      const path = join(scratch, f.name);
      writeFileSync(path, f.bytes);
      return path;
    });
    await openApp(page, server.url);
    await applySettings(page, { routeMode });
    await dropFiles(page, paths);
    for (const [i, file] of files.entries()) {
      await expect(jobRow(page, file.name)).toHaveAttribute('data-host', routeMode);
      await expectReadAsTheCliReadsIt(page, paths[i], file, scratch);
    }
  });
}
