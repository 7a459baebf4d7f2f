// A server started with --tokens: the page asks for the token, says plainly when one is
// refused, runs files in the browser until it has one, and then works as with any server:
// files above the threshold run there, their outputs download (by a ticket) and preview
// (with the token in a header), and a reload finds them again. Forgetting the token, or the
// operator withdrawing it, brings the prompt back. The token is never in a URL the page
// asks for, nor in anything it logs.
import type { Page } from '@playwright/test';
import { basename } from 'node:path';
import {
  addFiles, applySettings, downloadOutput, expectState, giveToken, horizontalOverflow, jobRow, openApp, previewRows,
  serverStatus, showResults, tokenDialog,
} from '../support/app';
import { firstDifference, parseWithCli } from '../support/cli';
import { expect, test } from '../support/fixtures';
import { removeToken } from '../support/tokens';

// Every URL the page asks for (HTTP requests and WebSocket upgrades) and every line it logs.
function watch(page: Page): { urls: string[]; logs: string[] } {
  const seen = { urls: [] as string[], logs: [] as string[] };
  page.on('request', (request) => seen.urls.push(request.url()));
  page.on('websocket', (socket) => seen.urls.push(socket.url()));
  page.on('console', (message) => seen.logs.push(message.text()));
  return seen;
}

function expectNoToken(seen: { urls: string[]; logs: string[] }, token: string): void {
  expect(seen.urls.length, 'the page made requests').toBeGreaterThan(0);
  expect(seen.urls.filter((url) => url.includes(token)), 'URLs holding the token').toEqual([]);
  expect(seen.logs.filter((line) => line.includes(token)), 'log lines holding the token').toEqual([]);
}

async function connectAsAlice(page: Page, url: string, alice: string): Promise<void> {
  await openApp(page, url, { connected: false });
  await giveToken(page, alice);
  await expect(tokenDialog(page)).toBeHidden();
  await expect(serverStatus(page)).toHaveAttribute('data-connected', 'true');
}

test('the page asks for the token, refuses a wrong one, and with alice\'s runs files on the server', async ({ page, tokenServer, files, scratch }) => {
  const { server, alice } = tokenServer;
  const seen = watch(page);
  await openApp(page, server.url, { connected: false });
  const status = serverStatus(page);
  await expect(status).toHaveAttribute('data-status', 'unauthorized');
  await expect(status).toContainText('This server asks for an access token — files run in this browser until you give one');
  const dialog = tokenDialog(page);
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('heading')).toHaveText('This server asks for an access token');
  await expect(dialog).toContainText('fastthread token add NAME');
  await expect(dialog.getByLabel('Access token')).toHaveAttribute('type', 'password');

  // Cancel: a file over the threshold runs in this browser, and its row says why.
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await applySettings(page, { thresholdMb: 0.5 });
  await addFiles(page, [files.accessLog, files.mediumNdjson]);
  const local = jobRow(page, basename(files.mediumNdjson));
  await expect(local).toHaveAttribute('data-host', 'browser');
  await expect(local.locator('.job-where')).toHaveText('browser: the server asks for an access token');
  await expectState(local, 'done', 60_000);

  // A wrong token is refused, said in the dialog, which stays open for another.
  await page.getByTestId('token-open').click();
  await giveToken(page, `ft_${'0'.repeat(64)}`);
  await expect(dialog.getByTestId('token-message')).toContainText('The server refused this token: the bearer token is not one this server knows');
  await expect(dialog).toBeVisible();
  await expect(status).toHaveAttribute('data-connected', 'false');

  await giveToken(page, alice);
  await expect(dialog).toBeHidden();
  await expect(status).toHaveAttribute('data-connected', 'true');
  await expect(status).toContainText(/^Server connected as alice \(2 workers, version [0-9.]+\)$/);
  await expect(page.getByTestId('server-access')).toBeVisible();

  // Over the threshold: on the server now. Its output downloads by a ticket and its preview
  // reads the output with the token in a header.
  await addFiles(page, [files.mediumCsv]);
  const name = basename(files.mediumCsv);
  const row = jobRow(page, name);
  await expect(row).toHaveAttribute('data-host', 'server');
  await expectState(row, 'done', 60_000);
  const cli = await parseWithCli(files.mediumCsv, 'ndjson', scratch);
  let results = await showResults(page, name);
  await expect(previewRows(results)).toHaveCount(20);
  const output = await downloadOutput(page, results);
  expect(firstDifference(output.bytes, cli.output!), 'the output against fastthread parse\'s').toBeNull();
  expect(output.url, 'the download went by a ticket').toMatch(/\/api\/jobs\/j-[0-9a-f]{32}\/output\?ticket=[^&]+$/);
  seen.urls.push(output.url);

  // After a reload the token is remembered: no prompt, and the server's job is still there.
  await page.reload();
  await expect(status).toHaveAttribute('data-connected', 'true');
  await expect(status).toContainText('Server connected as alice');
  await expect(dialog).toBeHidden();
  await expect(row).toHaveAttribute('data-host', 'server');
  await expectState(row, 'done');
  results = await showResults(page, name);
  await expect(previewRows(results)).toHaveCount(20);
  const again = await downloadOutput(page, results);
  expect(firstDifference(again.bytes, cli.output!)).toBeNull();
  seen.urls.push(again.url);

  expectNoToken(seen, alice);
});

test('a ticket the server will not give is said in the results', async ({ page, tokenServer, files }) => {
  const { server, alice } = tokenServer;
  await connectAsAlice(page, server.url, alice);
  await applySettings(page, { routeMode: 'server', outputFormat: 'csv' });
  await addFiles(page, [files.peopleCsv]);
  const name = basename(files.peopleCsv);
  await expectState(jobRow(page, name), 'done');
  const results = await showResults(page, name);
  await expect(previewRows(results)).toHaveCount(6);

  // The job's files go (as a script of alice's may do over HTTP): the link has nothing left.
  const headers = { Authorization: `Bearer ${alice}` };
  const list = await (await page.request.get(`${server.url}/api/jobs`, { headers })).json() as { jobs: { key: string }[] };
  expect(list.jobs).toHaveLength(1);
  const gone = await page.request.delete(`${server.url}/api/jobs/${list.jobs[0].key}`, { headers });
  expect(gone.status()).toBe(200);

  await results.locator('a.download-output').click();
  await expect(results.getByTestId('download-error')).toHaveText(
    'The download could not start: the server no longer has this output (it may have been cleaned up, or the server restarted).');
});

test('"Forget token" forgets it and brings the prompt back', async ({ page, tokenServer }) => {
  const { server, alice } = tokenServer;
  const seen = watch(page);
  await connectAsAlice(page, server.url, alice);
  const access = page.getByTestId('server-access');
  await expect(access).toBeVisible();
  await access.getByRole('button', { name: 'Forget token' }).click();

  await expect(tokenDialog(page)).toBeVisible();
  await expect(tokenDialog(page).getByRole('heading')).toHaveText('This server asks for an access token');
  await expect(serverStatus(page)).toHaveAttribute('data-status', 'unauthorized');
  await expect(access).toBeHidden();
  expect(await page.evaluate(() => localStorage.getItem('fastthread.token'))).toBeNull();
  // Forgotten for good: a reload asks again.
  await page.reload();
  await expect(tokenDialog(page)).toBeVisible();
  expectNoToken(seen, alice);
});

test('a token the operator withdraws (removed, then SIGHUP) brings the prompt back', async ({ page, tokenServer }) => {
  const { server, tokensFile, alice } = tokenServer;
  await connectAsAlice(page, server.url, alice);
  await removeToken(tokensFile, 'alice');
  server.hangUp();

  const dialog = tokenDialog(page);
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('heading')).toHaveText('This server no longer accepts your access token');
  const status = serverStatus(page);
  await expect(status).toHaveAttribute('data-connected', 'false');
  await expect(status).toContainText('This server no longer accepts your access token');
  await expect(page.getByTestId('token-open')).toHaveText('Enter another token');
  // The page asked again with the old token, and the server still says no.
  await expect(status).toHaveAttribute('data-status', 'unauthorized');
});

for (const viewport of [{ width: 390, height: 844 }, { width: 1280, height: 800 }]) {
  test(`the prompt and the status line fit at ${viewport.width} px`, async ({ page, tokenServer }) => {
    await page.setViewportSize(viewport);
    await openApp(page, tokenServer.server.url, { connected: false });
    const dialog = tokenDialog(page);
    await expect(dialog).toBeVisible();
    const box = (await dialog.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
    expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);
    expect(await horizontalOverflow(dialog, '.field, .token-actions')).toEqual([]);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    // The status and its button stay inside the top bar, the button on screen.
    expect(await horizontalOverflow(page.locator('.topbar'), '.server-state')).toEqual([]);
    await expect(page.getByTestId('token-open')).toBeInViewport();
  });
}
