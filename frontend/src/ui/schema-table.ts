// The schema: one row per column with its type and main statistics.
import type { ColumnStats } from '../protocol';
import { h } from '../dom';
import { formatCount, formatDistinct, formatExact, formatNulls, formatValue } from './format';
import { longValue, truncatedNote } from './long-value';

// A minimum or maximum text longer than this is cut, so one column cannot make the table
// a screen wide.
const SHOWN_CHARACTERS = 40;

export function schemaTable(columns: ColumnStats[]): HTMLTableElement {
  const head = h('tr', {}, ...[
    ['Column'], ['Type'], ['Values', 'values seen, nulls included'], ['Nulls', 'null values, and their share of the values'],
    ['Distinct', 'different non-null texts; ≈ marks an estimate, with its relative standard error'],
    ['Min'], ['Max'], ['Mean'],
  ].map(([label, title]) => h('th', { scope: 'col', title }, label)));
  const rows = columns.map((c) => h('tr', { 'data-column': c.name },
    h('th', { scope: 'row', class: 'col-name' }, c.name),
    h('td', { class: 'col-type' }, c.type),
    h('td', { class: 'col-count num' }, formatCount(c.count)),
    h('td', { class: 'col-nulls num' }, formatNulls(c.nulls, c.count)),
    h('td', { class: 'col-distinct num' }, formatDistinct(c.distinct)),
    h('td', { class: 'col-min' }, bound(c, c.min, 'smallest')),
    h('td', { class: 'col-max' }, bound(c, c.max, 'largest')),
    h('td', { class: 'col-mean num' }, formatValue(c.numeric?.mean ?? null))));
  return h('table', { class: 'schema' },
    h('caption', { class: 'visually-hidden' }, 'Schema: one row per column'),
    h('thead', {}, head),
    h('tbody', {}, ...rows));
}

function bound(column: ColumnStats, value: ColumnStats['min'], which: string): Node {
  if (typeof value !== 'string') return document.createTextNode(formatExact(value));
  return longValue(value, { limit: SHOWN_CHARACTERS, what: `The ${which} value of ${column.name}`, note: truncatedNote(column, value) });
}
