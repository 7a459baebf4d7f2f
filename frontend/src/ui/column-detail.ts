// One column's details: its numbers, a histogram when it has a numeric view, and its
// most frequent values as bars.
import type { ColumnStats } from '../protocol';
import { h } from '../dom';
import { formatCount, formatValue } from './format';
import { histogramSvg } from './histogram';

export function columnDetail(column: ColumnStats): HTMLElement {
  const n = column.numeric;
  const facts: [string, string][] = [['type', column.type], ['values', formatCount(column.count)], ['nulls', formatCount(column.nulls)]];
  if (n) {
    facts.push(['p50', formatValue(n.p50)], ['p90', formatValue(n.p90)], ['p99', formatValue(n.p99)]);
    if (n.stddev !== null) facts.push(['stddev', formatValue(n.stddev)]);
  }
  if (column.length) facts.push(['length', `${column.length.min}–${column.length.max}`]);
  const mixed = Object.entries(column.types);
  if (mixed.length > 1) facts.push(['types', mixed.map(([t, c]) => `${t} ${formatCount(c)}`).join(', ')]);

  return h('article', { class: 'column-detail', 'data-column': column.name },
    h('h4', {}, column.name, ' ', h('span', { class: 'badge' }, column.type)),
    h('dl', { class: 'facts' }, ...facts.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
    n?.histogram && n.histogram.counts.length > 0
      ? h('figure', { class: 'histogram-figure' },
        histogramSvg(column.name, n.histogram),
        h('figcaption', {}, h('span', {}, formatValue(n.histogram.min)), h('span', {}, formatValue(n.histogram.max))))
      : null,
    topValues(column));
}

function topValues(column: ColumnStats): HTMLElement | null {
  const values = column.top.values;
  if (values.length === 0) return null;
  const highest = Math.max(1, ...values.map((v) => v.count));
  return h('div', { class: 'top-values' },
    h('h5', {}, column.top.exact ? 'Top values' : 'Top values (approximate)'),
    h('ol', {}, ...values.map((v) => {
      const item = h('li', {},
        h('span', { class: 'top-value', title: v.value }, v.value === '' ? '(empty)' : v.value),
        h('span', { class: 'top-count' }, formatCount(v.count)));
      item.style.setProperty('--share', `${(v.count / highest) * 100}%`);
      return item;
    })));
}
