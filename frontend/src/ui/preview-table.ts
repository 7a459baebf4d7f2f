// The first rows of the output as a table.
import type { PreviewTable } from '../preview/preview';
import { h } from '../dom';

export function previewTable(table: PreviewTable): HTMLElement {
  if (table.rows.length === 0) return h('p', { class: 'muted' }, 'The output has no rows.');
  return h('div', { class: 'table-scroll' },
    h('table', { class: 'preview' },
      h('caption', { class: 'visually-hidden' }, `The first ${table.rows.length} rows of the output`),
      h('thead', {}, h('tr', {}, ...table.columns.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, ...table.rows.map((row) => h('tr', {}, ...row.map((cell) => h('td', { title: cell }, cell)))))),
    h('p', { class: 'muted small' }, table.more ? `The first ${table.rows.length} rows; download the output for the rest.` : `All ${table.rows.length} rows.`));
}
