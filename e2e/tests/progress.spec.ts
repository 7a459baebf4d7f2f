// Progress that never lies: one bar over upload and parse that never goes back, an
// overall line for every file, files beyond the server's per-client limit held back in
// the page until there is room, and workers named by the files they run.
import { basename } from 'node:path';
import { addFiles, applySettings, expectState, jobRow, openApp, poolPanel, progressValue } from '../support/app';
import { expect, test } from '../support/fixtures';
import { Server } from '../support/server';

declare global {
  interface Window { __ftBars?: number[] }
}

test('a server job\'s bar never goes back, from upload to done', async ({ page, server, files }) => {
  // Every value the bar takes, seen from the page itself as it changes.
  await page.addInitScript(() => {
    const values: number[] = [];
    window.__ftBars = values;
    new MutationObserver(() => {
      const bar = document.querySelector<HTMLProgressElement>('[data-testid=job-row] progress.job-progress');
      if (bar && values[values.length - 1] !== bar.value) values.push(bar.value);
    }).observe(document, { subtree: true, attributes: true, childList: true, attributeFilter: ['value'] });
  });
  await openApp(page, server.url);
  await applySettings(page, { routeMode: 'server', outputFormat: 'none' });
  await addFiles(page, [files.slowCsv]);
  const row = jobRow(page, basename(files.slowCsv));
  await expectState(row, 'uploading');
  await expect(row.locator('.job-eta')).toContainText(/left/);
  await expectState(row, 'done', 90_000);
  const values = await page.evaluate(() => window.__ftBars ?? []);
  expect(values.length, 'the bar moved in steps').toBeGreaterThan(5);
  const back = values.findIndex((v, i) => i > 0 && v < values[i - 1]);
  expect(back, `the bar went back: ${values.slice(Math.max(0, back - 2), back + 2).join(' -> ')}`).toBe(-1);
  expect(values.at(-1)).toBe(100);
  // The upload alone is half the bar: it passed through the middle.
  expect(values.some((v) => v > 30 && v < 70)).toBe(true);
  // The rate of a done file is over the work, not the wait.
  await expect(row.locator('.job-rate')).toHaveText(/^\d[\d.]* (KB|MB)\/s$/);
});

test('files beyond the server\'s per-client limit wait in the page and all finish', async ({ page, files }) => {
  const server = await Server.start({ extraArgs: ['--max-jobs-per-client', '2'] });
  try {
    await page.addInitScript(() => {
      const held = new Set<string>();
      (window as unknown as { __ftHeld: Set<string> }).__ftHeld = held;
      new MutationObserver((records) => {
        for (const r of records) {
          const el = r.target as Element;
          if (el.getAttribute?.('data-held') === '') held.add(el.getAttribute('data-name') ?? '');
        }
      }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-held'] });
    });
    await openApp(page, server.url);
    await applySettings(page, { routeMode: 'server', outputFormat: 'none' });
    const names = [files.mediumCsv, files.mediumNdjson, files.mediumLog, files.accessLog, files.peopleCsv, files.raggedCsv];
    await addFiles(page, names);
    await expect(page.locator('[data-testid=job-row][data-held]').first()).toBeVisible();
    await expect(page.locator('[data-testid=job-row][data-held]').first().locator('.job-note')).toContainText(/waiting in this page/i);
    for (const file of names) await expectState(jobRow(page, basename(file)), 'done', 60_000);
    const held = await page.evaluate(() => [...(window as unknown as { __ftHeld: Set<string> }).__ftHeld]);
    expect(held.length, 'some files waited in the page').toBeGreaterThanOrEqual(names.length - 2);
    const overall = page.getByTestId('overall');
    await expect(overall).toHaveAttribute('data-done', String(names.length));
    await expect(overall).toHaveAttribute('data-failed', '0');
    await expect(overall).toContainText(`${names.length} files · ${names.length} done`);
  } finally {
    await server.dispose();
  }
});

test('the workers panels name the files they run, and count this page\'s files', async ({ browser, server, files }) => {
  const contexts = [await browser.newContext(), await browser.newContext()];
  try {
    const [runner, watcher] = await Promise.all(contexts.map((c) => c.newPage()));
    for (const page of [runner, watcher]) await openApp(page, server.url);
    // NDJSON output keeps the worker on it long enough for every look below.
    await applySettings(runner, { routeMode: 'server', outputFormat: 'ndjson' });
    await addFiles(runner, [files.bigCsv]);
    const row = jobRow(runner, basename(files.bigCsv));
    await expectState(row, /^(uploading|parsing)$/);
    await expect(poolPanel(runner, 'server').locator('.worker[data-mine="true"] .worker-job')).toHaveText(basename(files.bigCsv));
    await expect(poolPanel(runner, 'server')).toHaveAttribute('data-mine-running', '1');
    await expect(poolPanel(watcher, 'server').locator('.worker .worker-job').filter({ hasText: "another client's file" })).toHaveCount(1);
    await expect(poolPanel(watcher, 'server')).toHaveAttribute('data-mine-running', '0');
    await row.locator('button.job-cancel').click();
    await expectState(row, 'cancelled');
  } finally {
    await Promise.all(contexts.map((c) => c.close()));
  }
});

test('a browser file keeps the page from unloading unasked, and a finished one does not', async ({ page, server, files }) => {
  await openApp(page, server.url);
  await applySettings(page, { routeMode: 'browser', outputFormat: 'none' });
  // The browser asks only on a page a person has interacted with.
  await page.locator('#route-mode').click();
  await page.keyboard.press('Escape');
  await addFiles(page, [files.bigCopies[0]]);
  const row = jobRow(page, basename(files.bigCopies[0]));
  await expectState(row, 'parsing');
  const dialog = page.waitForEvent('dialog');
  await page.close({ runBeforeUnload: true }).catch(() => {});
  const asked = await dialog;
  expect(asked.type()).toBe('beforeunload');
  await asked.dismiss();
  await row.locator('button.job-cancel').click();
  await expectState(row, 'cancelled');
  expect(await progressValue(row)).toBeLessThan(100);
});

test('the threshold field says what is wrong with what was typed, and what a large value costs', async ({ page, server }) => {
  await openApp(page, server.url);
  const input = page.locator('#threshold-mb');
  const message = page.getByTestId('threshold-message');
  await input.fill('-5');
  await expect(input).toHaveAttribute('aria-invalid', 'true');
  await expect(message).toContainText(/0 or more/);
  await input.fill('');
  await expect(input).toHaveAttribute('aria-invalid', 'true');
  await expect(message).toContainText(/until then files up to 16 MB run here/i);
  await input.fill('2048');
  await expect(input).toHaveAttribute('aria-invalid', 'false');
  await expect(message).toContainText(/storage/);
  await page.reload();
  await expect(page.locator('#threshold-mb')).toHaveValue('2048');

  await page.locator('.more-options summary').click();
  const maxErrors = page.locator('#max-errors');
  await maxErrors.fill('-5');
  await expect(maxErrors).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#max-errors-message')).toContainText(/until then new files tolerate 100 bad rows/i);
  await maxErrors.fill('7');
  await expect(maxErrors).toHaveAttribute('aria-invalid', 'false');
  await expect(page.locator('#max-errors-message')).toBeEmpty();
});
