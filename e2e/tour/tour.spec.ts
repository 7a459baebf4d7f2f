// Eight mixed files dropped at once, on both hosts, one chosen: the page as a person sees
// it, at 390, 1280 and 1920 px wide. The pictures go to docs/screenshots/ (README's tour).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from '@playwright/test';
import { addFiles, applySettings, expectState, jobRow, openApp, showResults } from '../support/app';
import { generate } from '../support/cli';
import { REPO } from '../support/paths';
import { Server } from '../support/server';

const OUT = resolve(REPO, 'docs/screenshots');
const WIDTHS = [{ width: 390, height: 844 }, { width: 1280, height: 800 }, { width: 1920, height: 1080 }];

test('the tour', async ({ browser }) => {
  const dir = mkdtempSync(join(tmpdir(), 'fastthread-tour-'));
  const server = await Server.start();
  try {
    const files = {
      sales: join(dir, 'sales.csv'), orders: join(dir, 'orders.ndjson'), access: join(dir, 'access.log'),
      events: join(dir, 'events.csv'), ragged: join(dir, 'survey.csv'), allBad: join(dir, 'broken-export.csv'),
      metrics: join(dir, 'metrics.csv'), broken: join(dir, 'orders-2024.json'),
    };
    await Promise.all([
      generate('mixed-csv', '2M', files.sales, 1), generate('ndjson', '600k', files.orders, 2),
      generate('access-log', '3M', files.access, 3), generate('mixed-csv', '5M', files.events, 4),
      generate('numeric-csv', '1M', files.metrics, 5)
    ]);
    writeFileSync(files.ragged, ['id,city,temp', ...Array.from({ length: 40 }, (_, i) =>
      (i % 9 === 4 ? `${i + 1},Oslo,4,windy` : `${i + 1},Lima,${18 + (i % 7)}`)), ''].join('\n'));
    writeFileSync(files.broken, `[${[...Array(3).fill('{"id":1}'), ...Array(150).fill('{"id":}')].join(',\n')}]\n`);
    writeFileSync(files.allBad, ['id,name,amount', '1;Ann;3', '2;Bob;4', '3;Cy;5', ''].join('\n'));
    mkdirSync(OUT, { recursive: true });
    for (const size of WIDTHS) {
      const context = await browser.newContext({ viewport: size, deviceScaleFactor: 1 });
      const page = await context.newPage();
      await openApp(page, server.url);
      await applySettings(page, { thresholdMb: 2 });
      await addFiles(page, Object.values(files));
      for (const path of Object.values(files)) await expectState(jobRow(page, path.split('/').pop()!), /^(done|failed)$/, 60_000);
      await showResults(page, 'survey.csv');
      // Wide screens show the page from its top, the results beside the list; a phone
      // shows the results where choosing the file brought them.
      if (size.width >= 1200) await page.evaluate(() => window.scrollTo(0, 0));
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(OUT, `page-${size.width}.png`) });
      await context.close();
    }
  } finally {
    await server.stop();
    await server.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});
