import { formatCapturedPost } from '../../../../local/sinks/print-captured-post';

const page = (body: unknown) =>
  formatCapturedPost({ channel: 'pagerduty', path: '/pagerduty/v2/enqueue', body, status: 202, at: '' });

describe('captured posts as the demo console shows them', () => {
  it('reads a PagerDuty trigger as a page that was opened, with its severity', () => {
    const text = page({
      event_action: 'trigger',
      dedup_key: 'k',
      payload: { summary: 'Image x failed', severity: 'error' },
    });
    expect(text.split('\n')).toEqual([
      '── PagerDuty page opened (severity error) ──',
      '  dedup_key: k',
      '  Image x failed',
    ]);
    expect(text).not.toMatch(/trigger error/);
  });

  it('reads a resolve as the page being resolved', () => {
    expect(page({ event_action: 'resolve', dedup_key: 'k' }).split('\n')[0]).toBe(
      '── PagerDuty page resolved ──',
    );
  });

  it('prints a Teams card as its text blocks and facts', () => {
    const text = formatCapturedPost({
      channel: 'teams',
      path: '/teams/default',
      status: 202,
      at: '',
      body: {
        attachments: [
          {
            content: {
              body: [
                { type: 'TextBlock', text: '❌ img 1.0.0: Failed' },
                { type: 'FactSet', facts: [{ title: 'Mode', value: 'quarantine' }] },
              ],
            },
          },
        ],
      },
    });
    expect(text.split('\n')).toEqual([
      '── Teams card → /teams/default ──',
      '  ❌ img 1.0.0: Failed',
      '  Mode: quarantine',
    ]);
  });
});
