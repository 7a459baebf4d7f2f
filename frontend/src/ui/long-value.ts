// A value too long for its place: its first characters, an ellipsis, and a button that
// opens the whole value in a dialog (monospace, wrapped, scrollable; Escape or Close
// shuts it and focus returns to the button). The page has one such <dialog>, filled when
// it opens and emptied when it closes, so a 10 MB value is laid out only while read.
import type { ColumnStats } from '../protocol';
import { h } from '../dom';
import { formatCount } from './format';

export interface ValuePlace {
  limit: number;  // characters shown before the cut
  what: string;   // the dialog's heading: "note, row 1"
  note?: string;  // said under it, e.g. that the summary cut the text
}

// Past this many line breaks a value is cut too, so one cell cannot be a page tall.
const SHOWN_LINES = 6;
// Texts in a summary's min, max and top values are cut to this many bytes.
const SUMMARY_TEXT_BYTES = 256;

export function longValue(value: string, place: ValuePlace): Node {
  const end = cutAt(value, place.limit);
  if (end === value.length) return document.createTextNode(value);
  const more = `${formatCount(codePoints(value, end))} more characters`;
  const open = h('button', {
    type: 'button', class: 'value-more', 'aria-haspopup': 'dialog',
    'aria-label': `${more}: show the whole of ${place.what}`,
  }, more);
  open.addEventListener('click', () => showWhole(value, place, open));
  return h('span', { class: 'long-value' }, h('span', { class: 'value-start' }, `${value.slice(0, end)}…`), ' ', open);
}

// Why a text from the summary may be shorter than in the file, when it may be.
export function truncatedNote(column: ColumnStats, value: string): string | undefined {
  if (!column.truncated || new TextEncoder().encode(value).length < SUMMARY_TEXT_BYTES - 3) return undefined;
  return `The summary keeps the first ${SUMMARY_TEXT_BYTES} bytes of a text, so in the file this value may go on.`;
}

function cutAt(value: string, limit: number): number {
  let end = Math.min(value.length, limit);
  let lines = 0;
  for (let i = 0; i < end; i++) {
    if (value.charCodeAt(i) === 0x0a && ++lines === SHOWN_LINES) {
      end = i;
      break;
    }
  }
  // Never between the two halves of a surrogate pair.
  if (end < value.length && end > 0 && isHighSurrogate(value.charCodeAt(end - 1))) end--;
  return end;
}

// Characters as the summary's lengths count them (code points) from `from` on.
function codePoints(value: string, from = 0): number {
  let n = 0;
  for (let i = from; i < value.length; i++) {
    if (!(isHighSurrogate(value.charCodeAt(i)) && isLowSurrogate(value.charCodeAt(i + 1)))) n++;
  }
  return n;
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

// A whole value is laid out in blocks of about this many characters, each skipped by the
// browser until it scrolls into view (content-visibility), so a 10 MB value opens at once.
const BLOCK_CHARACTERS = 16 * 1024;
// Characters on a line of the dialog, for a block's height before it is laid out.
const LINE_CHARACTERS = 120;

// Blocks end after a line break where one is near, so a line is seldom split in two.
function blocksOf(value: string): Node[] {
  if (value.length <= BLOCK_CHARACTERS) return [document.createTextNode(value)];
  const blocks: Node[] = [];
  for (let start = 0; start < value.length;) {
    let end = Math.min(value.length, start + BLOCK_CHARACTERS);
    if (end < value.length) {
      const lineEnd = value.lastIndexOf('\n', end);
      if (lineEnd > start + BLOCK_CHARACTERS / 2) end = lineEnd + 1;
      else if (isHighSurrogate(value.charCodeAt(end - 1))) end--;
    }
    const text = value.slice(start, end);
    const block = h('span', { class: 'value-block' }, text);
    block.style.setProperty('contain-intrinsic-block-size', `auto ${Math.max(1, Math.ceil(text.length / LINE_CHARACTERS), countLines(text)) * 1.45}em`);
    blocks.push(block);
    start = end;
  }
  return blocks;
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

interface ValueDialog { dialog: HTMLDialogElement; heading: HTMLElement; size: HTMLElement; note: HTMLElement; text: HTMLElement }

let shared: ValueDialog | null = null;
let returnTo: HTMLElement | null = null;

function valueDialog(): ValueDialog {
  if (shared) return shared;
  const heading = h('h2', { id: 'value-dialog-title' });
  const size = h('p', { class: 'value-size' });
  const note = h('p', { class: 'value-note' });
  const close = h('button', { type: 'button', class: 'button value-close', autofocus: true }, 'Close');
  // Focusable, so the keyboard scrolls it.
  const text = h('pre', { class: 'value-whole', tabindex: 0, 'aria-labelledby': 'value-dialog-title' });
  const dialog = h('dialog', { class: 'value-dialog', 'aria-labelledby': 'value-dialog-title', 'data-testid': 'value-dialog' },
    h('div', { class: 'value-head' }, h('div', { class: 'value-title' }, heading, size, note), close),
    text);
  close.addEventListener('click', () => dialog.close());
  // Escape closes a modal dialog by itself; either way the value is let go.
  dialog.addEventListener('close', () => {
    text.textContent = '';
    if (returnTo?.isConnected) returnTo.focus();
    returnTo = null;
  });
  document.body.append(dialog);
  shared = { dialog, heading, size, note, text };
  return shared;
}

function showWhole(value: string, place: ValuePlace, opener: HTMLElement): void {
  const { dialog, heading, size, note, text } = valueDialog();
  heading.textContent = place.what;
  const count = codePoints(value);
  size.textContent = `${formatCount(count)} ${count === 1 ? 'character' : 'characters'}`;
  note.textContent = place.note ?? '';
  note.hidden = !place.note;
  text.replaceChildren(...blocksOf(value));
  returnTo = opener;
  dialog.showModal();
  text.scrollTop = 0;
}
