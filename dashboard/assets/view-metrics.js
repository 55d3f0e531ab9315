import { api } from './api.js';
import { h, table } from './dom.js';

const dims = (attributes) =>
  Object.entries(attributes)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');

/** The process's own metrics (the in-memory reader); in Azure the same go to Application Insights. */
export async function metricsView() {
  const snapshot = await api.metrics();
  return h(
    'div',
    {},
    h('h1', {}, 'Metrics'),
    h('p', { class: 'muted' }, `This instance, since it started (${snapshot.exporter}).`),
    snapshot.metrics.length === 0
      ? h('p', { class: 'panel' }, 'Nothing recorded yet.')
      : table(
          'Metrics of this instance',
          ['Metric', 'Dimensions', 'Value', 'Unit'],
          snapshot.metrics.flatMap((m) =>
            m.points.map((p) =>
              h(
                'tr',
                {},
                h('th', { scope: 'row', title: m.description }, m.name),
                h('td', {}, dims(p.attributes)),
                h(
                  'td',
                  { class: 'num' },
                  p.count === undefined
                    ? String(p.value)
                    : `n=${p.count}, sum=${p.sum.toFixed(2)}, max=${p.max?.toFixed(2) ?? ''}`,
                ),
                h('td', {}, m.unit),
              ),
            ),
          ),
        ),
  );
}
