// Served as plain static files by a web server that knows nothing of FastThread (no /ws,
// no /api), the page runs every file in the browser and gives the CLI's answer.
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { basename, extname, join, normalize } from 'node:path';
import { addFiles, downloadOutput, expectState, jobRow, serverStatus, showResults } from '../support/app';
import { firstDifference, parseWithCli } from '../support/cli';
import { STATIC_DIR } from '../support/paths';
import { expect, test } from '../support/fixtures';

const TYPES: Record<string, string> = {
  '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml', '.json': 'application/json',
};

// A bare static file server on 127.0.0.1 serving `root` under /sub/ (a sub-path, as a
// shared web server would), 404 for anything else.
async function staticServer(root: string): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    if (!path.startsWith('/sub/')) return void response.writeHead(404).end();
    const relative = normalize(path.slice('/sub/'.length) || 'index.html');
    if (relative.startsWith('..')) return void response.writeHead(403).end();
    readFile(join(root, relative.endsWith('/') ? `${relative}index.html` : relative)).then(
      (body) => response.writeHead(200, { 'Content-Type': TYPES[extname(relative)] ?? 'application/octet-stream' }).end(body),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sub/`, server };
}

test('plain static files: no server, every file parsed in the browser, same bytes as the CLI', async ({ page, files, scratch }) => {
  const { url, server } = await staticServer(STATIC_DIR);
  try {
    await page.goto(url);
    await expect(serverStatus(page)).toHaveAttribute('data-connected', 'false');
    await expect(serverStatus(page)).toContainText(/no server/i);

    await addFiles(page, [files.peopleCsv]);
    const name = basename(files.peopleCsv);
    const row = jobRow(page, name);
    await expect(row).toHaveAttribute('data-host', 'browser');
    await expectState(row, 'done');

    const cli = await parseWithCli(files.peopleCsv, 'ndjson', scratch);
    const { bytes } = await downloadOutput(page, await showResults(page, name));
    expect(firstDifference(bytes, cli.output!)).toBeNull();
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
