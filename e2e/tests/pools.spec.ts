// The server's pool is one for everyone: a job from one page shows in every page's panel.
import { basename } from 'node:path';
import { addFiles, applySettings, expectState, jobRow, openApp, poolPanel } from '../support/app';
import { expect, test } from '../support/fixtures';

test('two browser contexts both see the server pool change', async ({ browser, server, files }) => {
  const contexts = [await browser.newContext(), await browser.newContext()];
  try {
    const [runner, watcher] = await Promise.all(contexts.map((c) => c.newPage()));
    for (const page of [runner, watcher]) {
      await openApp(page, server.url);
      await expect(poolPanel(page, 'server')).toHaveAttribute('data-workers', '2');
      await expect(poolPanel(page, 'server')).toHaveAttribute('data-done', '0');
    }
    await applySettings(runner, { routeMode: 'server' });
    await addFiles(runner, [files.mediumCsv]);
    await expectState(jobRow(runner, basename(files.mediumCsv)), 'done', 60_000);

    for (const page of [runner, watcher]) {
      const panel = poolPanel(page, 'server');
      await expect(panel).toHaveAttribute('data-done', '1');
      await expect(panel).toHaveAttribute('data-busy', '0');
      await expect(panel).toContainText('1');
    }
    // The watcher ran nothing itself.
    await expect(watcher.getByTestId('job-row')).toHaveCount(0);
  } finally {
    await Promise.all(contexts.map((c) => c.close()));
  }
});
