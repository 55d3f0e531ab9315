import { s } from './dom.js';

/**
 * An inline SVG line of values oldest → newest (boot seconds per version). Points without a value
 * leave a gap; the last point is marked. The title/desc carry the numbers for screen readers.
 */
export function sparkline(points, { width = 160, height = 32, label = 'trend' } = {}) {
  const values = points.map((p) => p.value).filter((v) => typeof v === 'number');
  const desc = points
    .map((p) => `${p.label}: ${typeof p.value === 'number' ? `${p.value.toFixed(1)} s` : 'no data'}`)
    .join(', ');
  const svg = s(
    'svg',
    {
      class: 'sparkline',
      width,
      height,
      viewBox: `0 0 ${width} ${height}`,
      role: 'img',
      'aria-label': `${label}: ${desc}`,
    },
    s('title', {}, `${label}: ${desc}`),
  );
  if (values.length === 0) {
    svg.append(s('text', { x: 0, y: height / 2 + 4, class: 'sparkline-none' }, 'no boot data yet'));
    return svg;
  }
  const max = Math.max(...values);
  const min = Math.min(...values);
  const pad = 3;
  const x = (i) => (points.length === 1 ? width / 2 : pad + (i * (width - 2 * pad)) / (points.length - 1));
  const y = (v) => (max === min ? height / 2 : height - pad - ((v - min) * (height - 2 * pad)) / (max - min));
  let path = '';
  let pen = false;
  points.forEach((p, i) => {
    if (typeof p.value !== 'number') {
      pen = false;
      return;
    }
    path += `${pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.value).toFixed(1)} `;
    pen = true;
  });
  svg.append(s('path', { d: path.trim(), class: 'sparkline-line' }));
  points.forEach((p, i) => {
    if (typeof p.value !== 'number') return;
    const last = i === points.length - 1;
    svg.append(
      s('circle', {
        cx: x(i).toFixed(1),
        cy: y(p.value).toFixed(1),
        r: last ? 2.5 : 1.5,
        class: last ? 'sparkline-last' : 'sparkline-dot',
      }),
    );
  });
  return svg;
}
