// A small inline SVG histogram of a column's numeric.histogram counts.
import type { NumericStats } from '../protocol';
import { formatValue } from './format';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 200;
const HEIGHT = 48;

export function histogramSvg(name: string, histogram: NonNullable<NumericStats['histogram']>): SVGSVGElement {
  const counts = histogram.counts;
  const highest = Math.max(1, ...counts);
  const error = histogram.approximate ? histogram.error ?? 0 : 0;
  const about = error > 0 ? `, each bar within ${error} of its count` : '';
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'histogram');
  svg.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label',
    `Histogram of ${name}: ${counts.length} bins from ${formatValue(histogram.min)} to ${formatValue(histogram.max)}, largest bin ${highest}${about}`);
  const barWidth = WIDTH / Math.max(1, counts.length);
  counts.forEach((count, i) => {
    const barHeight = count === 0 ? 0 : Math.max(1, (count / highest) * HEIGHT);
    const rect = document.createElementNS(SVG, 'rect');
    rect.setAttribute('x', String(i * barWidth + 0.5));
    rect.setAttribute('y', String(HEIGHT - barHeight));
    rect.setAttribute('width', String(Math.max(0.5, barWidth - 1)));
    rect.setAttribute('height', String(barHeight));
    const title = document.createElementNS(SVG, 'title');
    title.textContent = error > 0 ? `≈${count} ±${error}` : `${count}`;
    rect.append(title);
    svg.append(rect);
  });
  return svg;
}
