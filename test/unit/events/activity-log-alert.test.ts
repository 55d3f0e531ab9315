import { parseActivityLogAlert } from '../../../shared/events/activity-log-alert';
import { PayloadError } from '../../../shared/events/version-signal';
import { activityLogAlert, loadFixture, versionIdOf } from '../../support/event-payloads';

const json = (value: unknown): string => JSON.stringify(value);

describe('parseActivityLogAlert', () => {
  it('turns a fired alert of a succeeded version write into a write signal with the ARM spelling', () => {
    const event = parseActivityLogAlert(json(loadFixture('activity-log-alert-version-write.json')));
    expect(event.signal).toMatchObject({
      source: 'activity-log',
      kind: 'write',
      correlationId: '9d3e1f2a-7b6c-4d5e-8f9a-0b1c2d3e4f5a',
      eventTime: '2026-11-20T09:14:02.987Z',
      version: { gallery: 'contosoGallery', resourceGroup: 'rg-images', version: '1.4.0' },
    });
    expect(event.eventId).toMatch(/alerts\/6e1f2a3b/);
  });

  it('falls back to the lower-cased alertTargetIDs when authorization.scope is absent', () => {
    const event = parseActivityLogAlert(
      json(activityLogAlert({ versionId: versionIdOf('7.0.0'), targetOnly: true })),
    );
    expect(event.signal?.version.key).toBe(versionIdOf('7.0.0').toLowerCase());
  });

  it.each([
    ['a Started operation', { status: 'Started' }, /Started/],
    ['a Failed operation', { status: 'Failed' }, /Failed/],
    ['a Resolved alert', { monitorCondition: 'Resolved' }, /Resolved/],
    [
      'another operation',
      { operationName: 'Microsoft.Compute/virtualMachines/write' },
      /not an image version/,
    ],
    [
      'a non-version id',
      { versionId: versionIdOf('1.0.0').replace(/\/versions\/.*$/, '') },
      /not an image version id/,
    ],
  ])('ignores %s', (_what, options, reason) => {
    const event = parseActivityLogAlert(json(activityLogAlert(options)));
    expect(event.signal).toBeUndefined();
    expect(event.ignoreReason).toMatch(reason);
  });

  it.each([
    ['malformed JSON', '{"schemaId":'],
    ['another schema', json({ ...activityLogAlert(), schemaId: 'AzureMonitorMetricAlert' })],
    ['no essentials', json({ schemaId: 'azureMonitorCommonAlertSchema', data: { alertContext: {} } })],
    [
      'no operationName',
      json({
        schemaId: 'azureMonitorCommonAlertSchema',
        data: { essentials: { alertId: 'a' }, alertContext: { status: 'Succeeded' } },
      }),
    ],
    [
      'no resource id at all',
      json({
        schemaId: 'azureMonitorCommonAlertSchema',
        data: {
          essentials: { alertId: 'a' },
          alertContext: {
            operationName: 'Microsoft.Compute/galleries/images/versions/write',
            status: 'Succeeded',
          },
        },
      }),
    ],
    ['an array', json([activityLogAlert()])],
  ])('rejects %s with a PayloadError', (_what, body) => {
    expect(() => parseActivityLogAlert(body)).toThrow(PayloadError);
  });
});
