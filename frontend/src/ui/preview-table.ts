// The first rows of the output as a table. A long cell shows its start and a button that
// opens it whole; a note under the table says how much of the output it is.
import type { PreviewTable } from '../preview/preview';
import { h } from '../dom';
import { formatBytes, formatCount } from './format';
import { longValue } from './long-value';

const SHOWN_CHARACTERS = 200;

export function previewTable(table: PreviewTable): HTMLElement {
  const n = table.rows.length;
  if (n === 0) {
    return table.extent === 'cap'
      ? h('p', { class: 'muted preview-note', 'data-extent': table.extent },
        `The preview reads at most ${formatBytes(table.cap)} of the output, and not even its first row fits in it; download the output to see it.`)
      : h('p', { class: 'muted preview-note', 'data-extent': table.extent }, 'The output has no rows.');
  }
  return h('div', { class: 'preview-block' },
    h('div', { class: 'table-scroll' },
      h('table', { class: 'preview' },
        h('caption', { class: 'visually-hidden' }, `The first ${n} rows of the output`),
        h('thead', {}, h('tr', {}, ...table.columns.map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, ...table.rows.map((row, r) => h('tr', {}, ...row.map((cell, c) => previewCell(table, cell, r, c))))))),
    h('p', { class: 'muted small preview-note', 'data-extent': table.extent }, note(table)));
}

function previewCell(table: PreviewTable, cell: string, row: number, column: number): HTMLElement {
  const what = `${table.columns[column] ?? `column ${column + 1}`}, row ${row + 1}`;
  return h('td', {}, h('div', { class: 'cell' }, longValue(cell, { limit: SHOWN_CHARACTERS, what })));
}

function note(table: PreviewTable): string {
  const n = table.rows.length;
  const rows = `${formatCount(n)} ${n === 1 ? 'row' : 'rows'}`;
  if (table.extent === 'all') return n === 1 ? 'The one row of the output.' : `All ${rows} of the output.`;
  if (table.extent === 'first') return `The first ${rows}; download the output for the rest.`;
  return `The preview reads at most ${formatBytes(table.cap)} of the output: ${rows} ${n === 1 ? 'fits' : 'fit'} in it; download the output for the rest.`;
}
