// Results where the eye is: choosing a file brings its results into view and moves the
// focus there, at laptop and phone widths; results sit beside the list on wide screens;
// tables that scroll sideways say so.
import { basename } from 'node:path';
import { addFiles, applySettings, expectState, jobRow, openApp } from '../support/app';
import { expect, test } from '../support/fixtures';

for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
  test(`choosing a file brings its results into view at ${viewport.width} px`, async ({ page, server, files }) => {
    await page.setViewportSize(viewport);
    await openApp(page, server.url);
    await applySettings(page, { routeMode: 'browser' });
    const all = [files.peopleCsv, files.raggedCsv, files.accessLog, files.mediumCsv, files.mediumNdjson,
      files.mediumLog, files.allBadCsv, files.brokenJson];
    await addFiles(page, all);
    for (const file of all) await expectState(jobRow(page, basename(file)), /^(done|failed)$/, 60_000);
    const last = jobRow(page, basename(files.mediumLog));
    await last.locator('.job-name').scrollIntoViewIfNeeded();
    await last.locator('.job-name').click();
    const results = page.getByTestId('results');
    await expect(results).toHaveAttribute('data-job-id', (await last.getAttribute('data-job-id'))!);
    await expect(results).toBeFocused();
    await expect(results.locator('#results-heading')).toBeInViewport();
    if (viewport.width >= 1200) {
      // Beside the list, not under it.
      const [list, side] = await Promise.all([page.locator('.jobs').boundingBox(), results.boundingBox()]);
      expect(side!.x).toBeGreaterThan(list!.x + list!.width - 1);
    } else {
      const schema = results.locator('.table-scroll').first();
      await schema.scrollIntoViewIfNeeded();
      await expect(schema).toHaveAttribute('data-overflow', 'start');
      await expect(results.locator('.scroll-hint').first()).toBeVisible();
      await schema.evaluate((s) => { s.scrollLeft = s.scrollWidth; });
      await expect(schema).toHaveAttribute('data-overflow', 'end');
    }
  });
}

test('at 1920 px the results use the width beside the list', async ({ page, server, files }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await openApp(page, server.url);
  await addFiles(page, [files.peopleCsv]);
  await expectState(jobRow(page, 'people.csv'), 'done');
  const [layout, results] = await Promise.all([page.locator('main.layout').boundingBox(), page.getByTestId('results').boundingBox()]);
  expect(layout!.width).toBeGreaterThan(1800);
  expect(results!.width).toBeGreaterThan(1100);
  expect(results!.y).toBeLessThan(200);
});
