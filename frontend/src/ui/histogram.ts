// A small inline SVG histogram of a column's numeric.histogram counts.
import type { NumericStats } from '../protocol';
import { formatCount, formatExact } from './format';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 200;
const HEIGHT = 48;

export function histogramSvg(name: string, histogram: NonNullable<NumericStats['histogram']>): SVGSVGElement {
  const counts = histogram.counts;
  const highest = Math.max(1, ...counts);
  const error = histogram.approximate ? histogram.error ?? 0 : 0;
  const about = error > 0 ? `, each bar within ${formatCount(error)} values of its count` : '';
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'histogram');
  svg.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label',
    `Histogram of ${name}: ${counts.length} bars of equal width from ${formatExact(histogram.min)} to ${formatExact(histogram.max)}, the tallest ${formatCount(highest)} values${about}`);
  const barWidth = WIDTH / Math.max(1, counts.length);
  counts.forEach((count, i) => {
    const barHeight = count === 0 ? 0 : Math.max(1, (count / highest) * HEIGHT);
    const rect = document.createElementNS(SVG, 'rect');
    rect.setAttribute('x', String(i * barWidth + 0.5));
    rect.setAttribute('y', String(HEIGHT - barHeight));
    rect.setAttribute('width', String(Math.max(0.5, barWidth - 1)));
    rect.setAttribute('height', String(barHeight));
    const title = document.createElementNS(SVG, 'title');
    title.textContent = error > 0 ? `≈${formatCount(count)} ±${formatCount(error)} values` : `${formatCount(count)} ${count === 1 ? 'value' : 'values'}`;
    rect.append(title);
    svg.append(rect);
  });
  return svg;
}
