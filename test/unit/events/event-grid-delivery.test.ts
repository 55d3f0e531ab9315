import { parseEventGridDelivery } from '../../../shared/events/event-grid-delivery';
import { PayloadError } from '../../../shared/events/version-signal';
import {
  FIXTURE_GALLERY_ID,
  cloudEventWrite,
  eventGridWrite,
  loadFixture,
  versionIdOf,
} from '../../support/event-payloads';

const json = (value: unknown): string => JSON.stringify(value);

describe('parseEventGridDelivery', () => {
  it('recognises the subscription validation handshake', async () => {
    const delivery = await parseEventGridDelivery(
      json(loadFixture('eventgrid-subscription-validation.json')),
    );
    expect(delivery).toEqual({
      schema: 'eventgrid',
      events: [],
      validation: {
        eventId: '2d1781af-3a4c-4d7c-bd0c-e34b19da4e66',
        validationCode: '512d38b6-c7b8-40c8-89fe-f46f9e9622b6',
      },
    });
  });

  it('turns an Event Grid ResourceWriteSuccess for a version into a write signal', async () => {
    const delivery = await parseEventGridDelivery(json(loadFixture('eventgrid-version-write-success.json')));
    expect(delivery.validation).toBeUndefined();
    const [event] = delivery.events;
    expect(event?.signal).toMatchObject({
      eventId: '4b7f2c1e-6d1a-4a53-9a57-2f1c0f6a7e11',
      source: 'eventgrid',
      kind: 'write',
      correlationId: '9d3e1f2a-7b6c-4d5e-8f9a-0b1c2d3e4f5a',
      eventTime: '2026-11-20T09:14:03.123Z',
      version: { gallery: 'contosoGallery', image: 'ubuntu-22-04-hardened', version: '1.4.0' },
    });
  });

  it('reads a single CloudEvent and a CloudEvents batch', async () => {
    const single = await parseEventGridDelivery(json(loadFixture('cloudevents-version-write-success.json')));
    const batch = await parseEventGridDelivery(
      json([
        cloudEventWrite({ eventId: 'a' }),
        cloudEventWrite({ eventId: 'b', versionId: versionIdOf('9.9.9') }),
      ]),
      'application/cloudevents-batch+json',
    );
    expect(single.events.map((e) => e.signal?.version.version)).toEqual(['1.4.1']);
    expect(batch.events.map((e) => [e.source, e.signal?.version.version])).toEqual([
      ['cloudevents', '1.4.1'],
      ['cloudevents', '9.9.9'],
    ]);
  });

  it('turns ResourceDeleteSuccess of a version into a delete signal', async () => {
    const delivery = await parseEventGridDelivery(
      json(
        eventGridWrite({
          eventType: 'Microsoft.Resources.ResourceDeleteSuccess',
          operationName: 'Microsoft.Compute/galleries/images/versions/delete',
        }),
      ),
    );
    expect(delivery.events[0]?.signal?.kind).toBe('delete');
  });

  it.each([
    ['another event type', { eventType: 'Microsoft.Resources.ResourceWriteFailure' }, /not handled/],
    [
      'another operation',
      { operationName: 'Microsoft.Compute/galleries/images/write' },
      /not an image version write/,
    ],
    ['a non-version resource id', { versionId: `${FIXTURE_GALLERY_ID}/images/x` }, /not an image version id/],
    [
      'a resource id of another type',
      {
        versionId:
          '/subscriptions/8f2d6c3a-1b5e-4c2d-9f00-3a7b6c5d4e21/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/x/versions/1.0.0',
      },
      /not an image version id/,
    ],
  ])('ignores %s with a reason', async (_what, options, reason) => {
    const delivery = await parseEventGridDelivery(json(eventGridWrite(options)));
    const event = delivery.events[0];
    expect(event?.signal).toBeUndefined();
    expect(event?.ignoreReason).toMatch(reason);
  });

  it.each([
    ['malformed JSON', '[{"id":'],
    ['an empty array', '[]'],
    ['a JSON string', '"hello"'],
    ['neither schema', json([{ foo: 1 }])],
    ['an Event Grid event without subject', json([{ ...eventGridWrite()[0], subject: undefined }])],
    [
      'an Event Grid event without metadataVersion',
      json([{ ...eventGridWrite()[0], metadataVersion: undefined }]),
    ],
    ['a CloudEvent of another spec version', json({ ...cloudEventWrite(), specversion: '0.3' })],
    [
      'a write without operationName',
      json([{ ...eventGridWrite()[0], data: { resourceUri: versionIdOf('1.0.0') } }]),
    ],
    [
      'a validation event without a code',
      json([{ ...loadFixture<object[]>('eventgrid-subscription-validation.json')[0], data: {} }]),
    ],
  ])('rejects %s with a PayloadError', async (_what, body) => {
    await expect(parseEventGridDelivery(body)).rejects.toThrow(PayloadError);
  });
});
