// The schema: one row per column with its type and main statistics.
import type { ColumnStats } from '../protocol';
import { h } from '../dom';
import { formatCount, formatDistinct, formatValue } from './format';

export function schemaTable(columns: ColumnStats[]): HTMLTableElement {
  const head = h('tr', {}, ...['Column', 'Type', 'Values', 'Nulls', 'Distinct', 'Min', 'Max', 'Mean']
    .map((label) => h('th', { scope: 'col' }, label)));
  const rows = columns.map((c) => h('tr', { 'data-column': c.name },
    h('th', { scope: 'row', class: 'col-name' }, c.name),
    h('td', { class: 'col-type' }, c.type),
    h('td', { class: 'col-count num' }, formatCount(c.count)),
    h('td', { class: 'col-nulls num' }, c.count > 0 ? `${trimPercent((c.nulls * 100) / c.count)}%` : '–'),
    h('td', { class: 'col-distinct num' }, formatDistinct(c.distinct)),
    h('td', { class: 'col-min' }, formatValue(c.min)),
    h('td', { class: 'col-max' }, formatValue(c.max)),
    h('td', { class: 'col-mean num' }, formatValue(c.numeric?.mean ?? null))));
  return h('table', { class: 'schema' },
    h('caption', { class: 'visually-hidden' }, 'Schema: one row per column'),
    h('thead', {}, head),
    h('tbody', {}, ...rows));
}

function trimPercent(p: number): string {
  if (p === 0 || p === 100) return String(p);
  return p < 0.1 ? '<0.1' : p.toFixed(1);
}
