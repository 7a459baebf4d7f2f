// The page as the tests see it: only the selectors and attributes of the page's testable
// surface (the frontend's DOM contract), never its internals.
import { expect, type Download, type Locator, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

export type JobState = 'queued' | 'uploading' | 'parsing' | 'done' | 'failed' | 'cancelled';
export type RouteMode = 'auto' | 'browser' | 'server';
export type OutputFormat = 'ndjson' | 'json' | 'csv' | 'none';

export interface Settings {
  thresholdMb?: number; routeMode?: RouteMode; outputFormat?: OutputFormat;
  // The reading options (a <details> the page keeps closed).
  types?: 'infer' | 'none'; maxErrors?: number;
  encoding?: 'auto' | 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252' | 'latin-1';
  keptResultsMb?: number;  // the cap on browser results kept across reloads
}

// Waits long enough for a 400 MB server job on a busy two-core machine.
export const LONG_JOB_MS = 90_000;

declare global {
  interface Window {
    // name -> every value data-state took, in order (consecutive repeats folded)
    __ftStates?: Record<string, string[]>;
  }
}

// Records each job row's data-state changes from the first moment of every page load:
// states may pass too fast for a poll to see them.
export async function recordJobStates(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const states: Record<string, string[]> = {};
    window.__ftStates = states;
    const push = (name: string, state: string) => {
      const list = (states[name] ??= []);
      if (list[list.length - 1] !== state) list.push(state);
    };
    const note = (row: Element) => {
      const name = row.getAttribute('data-name');
      const state = row.getAttribute('data-state');
      if (name !== null && state !== null) push(name, state);
    };
    new MutationObserver((records) => {
      // Several changes may come in one batch: each record's old value is the state before
      // it, so the old values and then the current one give every state in order.
      const touched = new Set<Element>();
      for (const record of records) {
        if (record.type === 'attributes') {
          const target = record.target as Element;
          if (!target.matches('[data-testid=job-row]')) continue;
          const name = target.getAttribute('data-name');
          if (record.attributeName === 'data-state' && name !== null && record.oldValue !== null) push(name, record.oldValue);
          touched.add(target);
        }
        for (const node of Array.from(record.addedNodes)) {
          if (!(node instanceof Element)) continue;
          if (node.matches('[data-testid=job-row]')) touched.add(node);
          node.querySelectorAll('[data-testid=job-row]').forEach((row) => touched.add(row));
        }
      }
      touched.forEach(note);
    }).observe(document, {
      subtree: true, childList: true, attributes: true, attributeOldValue: true,
      attributeFilter: ['data-state', 'data-name'],
    });
  });
}

export async function statesOf(page: Page, name: string): Promise<string[]> {
  return page.evaluate((n) => window.__ftStates?.[n] ?? [], name);
}

export async function openApp(page: Page, url: string, { connected = true } = {}): Promise<void> {
  await page.goto(url);
  await expect(serverStatus(page)).toHaveAttribute('data-connected', connected ? 'true' : 'false');
}

export function serverStatus(page: Page): Locator {
  return page.getByTestId('server-status');
}

export async function applySettings(page: Page, settings: Settings): Promise<void> {
  if (settings.thresholdMb !== undefined) {
    const input = page.locator('#threshold-mb');
    await input.fill(String(settings.thresholdMb));
    await input.dispatchEvent('change');
    await expect(input).toHaveValue(String(settings.thresholdMb));
  }
  if (settings.keptResultsMb !== undefined) {
    const input = page.locator('#kept-results-mb');
    await input.fill(String(settings.keptResultsMb));
    await expect(input).toHaveValue(String(settings.keptResultsMb));
  }
  if (settings.routeMode) await page.locator('#route-mode').selectOption(settings.routeMode);
  if (settings.outputFormat) await page.locator('#output-format').selectOption(settings.outputFormat);
  if (settings.types !== undefined || settings.maxErrors !== undefined || settings.encoding !== undefined) {
    await page.locator('.more-options summary').click();
    if (settings.types) await page.locator('#types').selectOption(settings.types);
    if (settings.encoding) await page.locator('#encoding').selectOption(settings.encoding);
    if (settings.maxErrors !== undefined) await page.locator('#max-errors').fill(String(settings.maxErrors));
  }
}

export async function addFiles(page: Page, paths: string[]): Promise<void> {
  await page.locator('#file-input').setInputFiles(paths);
}

// A real drop: a DataTransfer holding the files, dispatched on the drop zone as
// dragenter, dragover and drop, the way a browser delivers a drag from the desktop.
export async function dropFiles(page: Page, paths: string[]): Promise<void> {
  const files = paths.map((path) => ({ name: basename(path), base64: readFileSync(path).toString('base64') }));
  const transfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const { name, base64 } of list) {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      dt.items.add(new File([bytes], name));
    }
    return dt;
  }, files);
  const zone = page.getByTestId('dropzone');
  for (const type of ['dragenter', 'dragover', 'drop']) {
    await zone.dispatchEvent(type, { dataTransfer: transfer });
  }
  await transfer.dispose();
}

export function jobRow(page: Page, name: string): Locator {
  return page.locator(`[data-testid=job-row][data-name="${name}"]`);
}

export async function expectState(row: Locator, state: JobState | RegExp, timeout = 30_000): Promise<void> {
  await expect(row).toHaveAttribute('data-state', state, { timeout });
}

export async function progressValue(row: Locator): Promise<number> {
  return row.locator('progress.job-progress').evaluate((p) => (p as HTMLProgressElement).value);
}

// Selects a finished job and waits for its results.
export async function showResults(page: Page, name: string): Promise<Locator> {
  const row = jobRow(page, name);
  const id = await row.getAttribute('data-job-id');
  expect(id, `job row of ${name} has a data-job-id`).toBeTruthy();
  await row.locator('.job-name').click();
  const results = page.getByTestId('results');
  await expect(results).toHaveAttribute('data-job-id', id!);
  return results;
}

async function download(page: Page, link: Locator): Promise<Download> {
  await expect(link).toBeVisible();
  const [file] = await Promise.all([page.waitForEvent('download'), link.click()]);
  return file;
}

// The selected job's output and summary, as the page offers them for download. `url` is
// where the bytes came from (a download is no request of the page's: page.on('request')
// does not see it).
export async function downloadOutput(page: Page, results: Locator): Promise<{ bytes: Buffer; fileName: string; url: string }> {
  const file = await download(page, results.locator('a.download-output'));
  const path = await file.path();
  return { bytes: readFileSync(path), fileName: file.suggestedFilename(), url: file.url() };
}

export async function downloadSummary(page: Page, results: Locator): Promise<Record<string, unknown>> {
  const file = await download(page, results.locator('a.download-summary'));
  return JSON.parse(readFileSync(await file.path(), 'utf8')) as Record<string, unknown>;
}

export function poolPanel(page: Page, host: 'server' | 'browser'): Locator {
  return page.getByTestId(`pool-${host}`);
}

// The names the page saves the selected job's output and summary under.
export async function savedNames(page: Page, results: Locator): Promise<{ output: string; summary: string }> {
  const output = await download(page, results.locator('a.download-output'));
  const summary = await download(page, results.locator('a.download-summary'));
  return { output: output.suggestedFilename(), summary: summary.suggestedFilename() };
}

// ---- the results' preview and column cards ----

export function previewRows(results: Locator): Locator {
  return results.locator('table.preview tbody tr');
}

// The cell of a preview row (from 1) under a column name.
export async function previewCell(results: Locator, row: number, column: string): Promise<Locator> {
  const names = await results.locator('table.preview thead th').allTextContents();
  const index = names.indexOf(column);
  expect(index, `the preview has a column ${column} (it has ${names.join(', ')})`).toBeGreaterThanOrEqual(0);
  return previewRows(results).nth(row - 1).locator('td').nth(index);
}

// The note under the preview; its data-extent says 'all', 'first' or 'cap'.
export function previewNote(results: Locator): Locator {
  return results.locator('.preview-note');
}

export function columnCard(results: Locator, column: string): Locator {
  return results.locator(`article.column-detail[data-column="${column}"]`);
}

// A number of a column card by its data-fact key: 'nulls', 'distinct', 'stddev', 'p50',
// 'length', 'histogram-min', ...
export function columnFact(results: Locator, column: string, fact: string): Locator {
  return columnCard(results, column).locator(`[data-fact="${fact}"]`);
}

export function schemaCell(results: Locator, column: string, cell: 'count' | 'nulls' | 'distinct' | 'min' | 'max' | 'mean'): Locator {
  return results.locator(`table.schema tr[data-column="${column}"] td.col-${cell}`);
}

// Opens the whole of a cut value (the button inside `holder`) with the keyboard, and
// gives the dialog that shows it.
export async function openWholeValue(page: Page, holder: Locator): Promise<Locator> {
  const button = holder.locator('button.value-more');
  await button.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByTestId('value-dialog');
  await expect(dialog).toBeVisible();
  return dialog;
}

export async function wholeValueText(dialog: Locator): Promise<string> {
  return dialog.locator('pre.value-whole').evaluate((pre) => pre.textContent ?? '');
}

// What sticks out sideways in `root`: an element outside `root` or outside the card (an
// element matching `cards`) it is in, or an element whose content is wider than it.
// What is inside a scrolling box (a wide table) is that box's to show, and is only checked
// for content wider than its own cell. Each is named by tag, class and size.
export async function horizontalOverflow(root: Locator, cards: string): Promise<string[]> {
  return root.evaluate((top, cardSelector) => {
    const found: string[] = [];
    const name = (e: Element) => e.tagName.toLowerCase() + (typeof e.className === 'string' && e.className ? `.${e.className.trim().split(/\s+/).join('.')}` : '');
    const scrolls = (e: Element) => ['auto', 'scroll', 'hidden'].includes(getComputedStyle(e).overflowX);
    const inScrollerUnder = (e: Element, box: Element) => {
      for (let up = e.parentElement; up && up !== box; up = up.parentElement) if (scrolls(up)) return true;
      return false;
    };
    const boxes = [top, ...Array.from(top.querySelectorAll(cardSelector))];
    for (const box of boxes) {
      const outer = box.getBoundingClientRect();
      for (const e of Array.from(box.querySelectorAll('*'))) {
        if (inScrollerUnder(e, box)) continue;
        const r = e.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) continue;
        if (r.left < outer.left - 1 || r.right > outer.right + 1) {
          found.push(`${name(e)} sticks out of ${name(box)} by ${Math.round(Math.max(outer.left - r.left, r.right - outer.right))} px`);
        }
      }
    }
    for (const e of Array.from(top.querySelectorAll('*'))) {
      if (scrolls(e) || e.clientWidth === 0) continue;
      if (e.scrollWidth > e.clientWidth + 1) found.push(`${name(e)} holds ${e.scrollWidth} px of content in ${e.clientWidth} px`);
    }
    return found;
  }, cards);
}

// The kept browser results under Settings: data-count and data-bytes once the page has
// looked at its storage (after its start-up clean-up), the usage line, the note and the
// clear button.
export function keptResults(page: Page): Locator {
  return page.getByTestId('kept-results');
}

// Waits until the page has restored its kept results, and says how many there are.
export async function keptCount(page: Page): Promise<number> {
  const panel = keptResults(page);
  await expect(panel).toHaveAttribute('data-count', /^\d+$/);
  return Number(await panel.getAttribute('data-count'));
}

export type OpfsFolder = 'outputs' | 'results';

// The files in one folder of the page's origin private file system (fastthread/<folder>),
// as the page sees them: browser outputs are named by their run id, kept results
// <run id>.json.
export async function opfsFiles(page: Page, folder: OpfsFolder): Promise<{ name: string; size: number }[]> {
  return page.evaluate(async (name) => {
    const root = await navigator.storage.getDirectory();
    const base = await root.getDirectoryHandle('fastthread', { create: true });
    const dir = await base.getDirectoryHandle(name, { create: true });
    const found: { name: string; size: number }[] = [];
    // entries() is not in every TypeScript DOM library; the page's browser has it.
    const entries = (dir as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries();
    for await (const [entry, handle] of entries) {
      if (handle.kind !== 'file') continue;
      // A file the page deletes while we list is not there.
      const file = await (handle as FileSystemFileHandle).getFile().catch(() => null);
      if (file) found.push({ name: entry, size: file.size });
    }
    return found.sort((a, b) => a.name.localeCompare(b.name));
  }, folder);
}

// Writes a file into the page's origin private file system, as a tab that went away
// without cleaning up would have left it (no lock held).
export async function writeOpfsFile(page: Page, folder: OpfsFolder, name: string, text: string): Promise<void> {
  await page.evaluate(async ({ folder: f, name: n, text: t }) => {
    const root = await navigator.storage.getDirectory();
    const base = await root.getDirectoryHandle('fastthread', { create: true });
    const dir = await base.getDirectoryHandle(f, { create: true });
    const writable = await (await dir.getFileHandle(n, { create: true })).createWritable();
    await writable.write(t);
    await writable.close();
  }, { folder, name, text });
}

// ---- a server that wants an access token ----

// The page's prompt for the token (a modal <dialog>), and its message line.
export function tokenDialog(page: Page): Locator {
  return page.getByTestId('token-dialog');
}

// Types a token into the open prompt and sends it, as a person would.
export async function giveToken(page: Page, token: string): Promise<void> {
  const dialog = tokenDialog(page);
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Access token').fill(token);
  await dialog.getByRole('button', { name: 'Save and connect' }).click();
}
