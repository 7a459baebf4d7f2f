// One column's details: its numbers, a histogram when it has a numeric view, and its
// most frequent values as bars. Every number says what it counts or its unit, and an
// approximate one is shown with "≈" and how far off it may be, as the summary states it
// (docs/summary-columns.md).
import type { ColumnStats, NumericStats } from '../protocol';
import { h } from '../dom';
import {
  formatBarWidth, formatBoundedCount, formatCount, formatDistinct, formatExact, formatLength, formatNulls,
  formatQuantile, formatRankError, formatStddev, formatValue,
} from './format';
import { histogramSvg } from './histogram';
import { longValue, truncatedNote } from './long-value';

// A top value longer than this is cut: a card is narrow.
const SHOWN_TOP_CHARACTERS = 80;

// Facts are shown two to a line; a longer value (a datetime, a range with its unit) takes
// a line of its own.
const SHORT_FACT_CHARACTERS = 9;

// [key for data-fact, label, value, what the value means (a tooltip)]
type Fact = [string, string, string, string?];

export function columnDetail(column: ColumnStats): HTMLElement {
  const n = column.numeric;
  const facts: Fact[] = [
    ['type', 'type', column.type],
    ['values', 'values', formatCount(column.count), 'values seen, nulls included'],
    ['nulls', 'nulls', formatNulls(column.nulls, column.count), 'null values, and their share of the values'],
    ['distinct', 'distinct', formatDistinct(column.distinct),
      column.distinct.exact ? 'different non-null texts, counted exactly' : 'different non-null texts: a HyperLogLog estimate and its relative standard error'],
  ];
  if (n) facts.push(...numericFacts(column, n));
  if (column.length) facts.push(['length', 'length', formatLength(column.length), 'shortest and longest text of a value, in Unicode code points']);
  const mixed = Object.entries(column.types);
  if (mixed.length > 1) facts.push(['types', 'types', mixed.map(([t, c]) => `${formatCount(c)} ${t}`).join(', '), 'non-null values of each type']);

  return h('article', { class: 'column-detail', 'data-column': column.name },
    h('h4', {}, column.name, ' ', h('span', { class: 'badge' }, column.type)),
    h('dl', { class: 'facts' }, ...facts.map(([key, label, value, meaning]) =>
      h('div', { class: value.length > SHORT_FACT_CHARACTERS ? 'fact wide' : 'fact' },
        h('dt', { title: meaning }, label), h('dd', { 'data-fact': key, title: meaning }, value)))),
    n?.histogram && n.histogram.counts.length > 0 ? histogramFigure(column.name, n.histogram) : null,
    topValues(column));
}

function numericFacts(column: ColumnStats, n: NumericStats): Fact[] {
  const facts: Fact[] = [];
  // In a promoted column only one group of values has a numeric view: say which.
  if (n.count !== column.count - column.nulls) {
    facts.push(['numeric-count', 'numbers of', `${formatCount(n.count)} ${n.type} values`, 'the values the numbers below are computed over']);
  }
  facts.push(['mean', 'mean', formatValue(n.mean), n.type === 'date' || n.type === 'datetime' ? `the ${n.type} nearest the mean` : 'the arithmetic mean']);
  if (n.stddev !== null) {
    facts.push(['stddev', 'std. dev.', formatStddev(n.stddev, n.stddev_unit ?? null),
      n.stddev_unit ? 'sample standard deviation, as a span of time' : "sample standard deviation, in the column's own unit"]);
  }
  const quantile = n.rank_error > 0 ? `a sketched quantile: its rank is within ${formatRankError(n.rank_error)}` : 'exact';
  facts.push(
    ['p50', 'median', formatQuantile(n.p50, n.rank_error), `50th percentile, ${quantile}`],
    ['p90', 'p90', formatQuantile(n.p90, n.rank_error), `90th percentile, ${quantile}`],
    ['p99', 'p99', formatQuantile(n.p99, n.rank_error), `99th percentile, ${quantile}`]);
  if (n.rank_error > 0) facts.push(['rank-error', 'quantiles', formatRankError(n.rank_error), 'how far the quantiles\' ranks may be off']);
  return facts;
}

function histogramFigure(name: string, histogram: NonNullable<NumericStats['histogram']>): HTMLElement {
  const error = histogram.approximate ? histogram.error ?? 0 : 0;
  const bars = histogram.counts.length;
  const width = formatBarWidth(histogram.min, histogram.max, bars);
  const same = histogram.min === histogram.max;
  const shape = same
    ? 'every value is the same'
    : `${bars} bars${width === null ? '' : `, each ${width} wide`}`;
  return h('figure', { class: 'histogram-figure' },
    histogramSvg(name, histogram),
    h('figcaption', {},
      h('span', { class: 'histogram-bounds' },
        h('span', { 'data-fact': 'histogram-min' }, `from ${formatExact(histogram.min)}`),
        h('span', { 'data-fact': 'histogram-max' }, `to ${formatExact(histogram.max)}`)),
      h('span', { class: 'histogram-shape', 'data-fact': 'histogram-shape' },
        shape, error > 0 ? h('span', { class: 'histogram-error' }, `; ≈ each bar ±${formatCount(error)} values`) : null)));
}

function topValues(column: ColumnStats): HTMLElement | null {
  const top = column.top;
  const heading = h('h5', {}, top.exact ? 'Top values, with how often each occurs' : 'Top values (approximate), with how often each occurs');
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
    h('ol', {}, ...values.map((v, i) => {
      const error = v.error ?? 0;
      const item = h('li', {},
        h('span', { class: 'top-value' }, v.value === ''
          ? '(empty)'
          : longValue(v.value, { limit: SHOWN_TOP_CHARACTERS, what: `Top value ${i + 1} of ${column.name}`, note: truncatedNote(column, v.value) })),
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
