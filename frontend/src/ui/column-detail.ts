// One column's details: its numbers, a histogram when it has a numeric view, and its
// most frequent values as bars. An approximate number is shown with "≈" and how far off
// it may be, as the summary states it (docs/summary-columns.md).
import type { ColumnStats, NumericStats } from '../protocol';
import { h } from '../dom';
import { formatBoundedCount, formatCount, formatDistinct, formatRelativeError, formatStddev, formatValue } from './format';
import { histogramSvg } from './histogram';

export function columnDetail(column: ColumnStats): HTMLElement {
  const n = column.numeric;
  const facts: [string, string][] = [
    ['type', column.type], ['values', formatCount(column.count)], ['nulls', formatCount(column.nulls)],
    ['distinct', formatDistinct(column.distinct)],
  ];
  if (n) {
    const approx = n.rank_error > 0 ? '≈' : '';
    facts.push(['p50', approx + formatValue(n.p50)], ['p90', approx + formatValue(n.p90)], ['p99', approx + formatValue(n.p99)]);
    if (n.rank_error > 0) facts.push(['quantile rank', formatRelativeError(n.rank_error)]);
    if (n.stddev !== null) facts.push(['stddev', formatStddev(n.stddev, n.stddev_unit ?? null)]);
  }
  if (column.length) facts.push(['length', `${column.length.min}–${column.length.max}`]);
  const mixed = Object.entries(column.types);
  if (mixed.length > 1) facts.push(['types', mixed.map(([t, c]) => `${t} ${formatCount(c)}`).join(', ')]);

  return h('article', { class: 'column-detail', 'data-column': column.name },
    h('h4', {}, column.name, ' ', h('span', { class: 'badge' }, column.type)),
    h('dl', { class: 'facts' }, ...facts.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
    n?.histogram && n.histogram.counts.length > 0 ? histogramFigure(column.name, n.histogram) : null,
    topValues(column));
}

function histogramFigure(name: string, histogram: NonNullable<NumericStats['histogram']>): HTMLElement {
  const error = histogram.approximate ? histogram.error ?? 0 : 0;
  return h('figure', { class: 'histogram-figure' },
    histogramSvg(name, histogram),
    h('figcaption', {},
      h('span', {}, formatValue(histogram.min)),
      error > 0 ? h('span', { class: 'histogram-error' }, `≈ each bar ±${formatCount(error)}`) : null,
      h('span', {}, formatValue(histogram.max))));
}

function topValues(column: ColumnStats): HTMLElement | null {
  const top = column.top;
  const heading = h('h5', {}, top.exact ? 'Top values' : 'Top values (approximate)');
  if (top.all_distinct) {
    return h('div', { class: 'top-values' }, h('h5', {}, 'Top values'), h('p', { class: 'top-none' }, 'Every value is distinct.'));
  }
  const values = top.values;
  if (values.length === 0) {
    if (column.count - column.nulls === 0) return null;
    const most = top.others_max ?? 0;
    return h('div', { class: 'top-values' }, heading,
      h('p', { class: 'top-none' }, `No value stands out: none occurs more than ${formatCount(most)} ${most === 1 ? 'time' : 'times'}.`));
  }
  const highest = Math.max(1, ...values.map((v) => v.count));
  return h('div', { class: 'top-values' },
    heading,
    h('ol', {}, ...values.map((v) => {
      const error = v.error ?? 0;
      const item = h('li', {},
        h('span', { class: 'top-value', title: v.value }, v.value === '' ? '(empty)' : v.value),
        h('span', {
          class: 'top-count',
          title: error > 0 ? `occurs between ${formatCount(v.count)} and ${formatCount(v.count + error)} times` : `occurs ${formatCount(v.count)} times`,
        }, formatBoundedCount(v.count, error)));
      item.style.setProperty('--share', `${(v.count / highest) * 100}%`);
      return item;
    })),
    top.others_max > 0 && !top.exact
      ? h('p', { class: 'top-none' }, `Every other value occurs at most ${formatCount(top.others_max)} times.`)
      : null);
}
