import { resourceEvent } from '../arm-sim/event-grid-webhook';

/** The three ways a version write reaches gallery-guard. */
export type FloodSource = 'event-grid' | 'cloudevents' | 'activity-log';

export const FLOOD_SOURCES: readonly FloodSource[] = ['event-grid', 'cloudevents', 'activity-log'];

const WRITE = 'Microsoft.Compute/galleries/images/versions/write';

/** What one distinct signal is about; its redeliveries repeat the same body byte for byte. */
export interface SignalFacts {
  readonly versionId: string;
  /** Event id (Event Grid, CloudEvents) or alert id (Activity Log alert). */
  readonly eventId: string;
  /** The ARM operation's correlation id: the same for every source reporting one write. */
  readonly correlationId: string;
  readonly time: string;
}

export interface FloodRequest {
  readonly route: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * The HTTP request a source sends for one signal, in the shapes Azure uses (the same shapes as the
 * fixtures under test/fixtures): Event Grid schema ResourceWriteSuccess (an array, `aeg-*` headers),
 * CloudEvents 1.0 structured mode (learn.microsoft.com/azure/event-grid/cloud-event-schema), and the
 * common alert schema of an Activity Log alert (learn.microsoft.com/azure/azure-monitor/alerts/alerts-common-schema).
 * `deliveryCount` is Event Grid's aeg-delivery-count: 0 first, more on a retry.
 */
export function floodRequest(source: FloodSource, s: SignalFacts, deliveryCount: number): FloodRequest {
  const event = resourceEvent('ResourceWriteSuccess', s.versionId, WRITE, 'https://management.azure.com');
  const data = { ...(event.data as Record<string, unknown>), correlationId: s.correlationId };
  if (source === 'event-grid') {
    return {
      route: 'events/eventgrid',
      headers: {
        'content-type': 'application/json',
        'aeg-event-type': 'Notification',
        'aeg-delivery-count': String(deliveryCount),
        'aeg-subscription-name': 'GALLERY-GUARD',
        'aeg-data-version': '2',
        'aeg-metadata-version': '1',
      },
      body: JSON.stringify([{ ...event, id: s.eventId, eventTime: s.time, data }]),
    };
  }
  if (source === 'cloudevents') {
    return {
      route: 'events/eventgrid',
      headers: {
        'content-type': 'application/cloudevents+json; charset=utf-8',
        'aeg-event-type': 'Notification',
        'aeg-delivery-count': String(deliveryCount),
      },
      body: JSON.stringify({
        specversion: '1.0',
        id: s.eventId,
        source: event.topic,
        subject: s.versionId,
        type: event.eventType,
        time: s.time,
        datacontenttype: 'application/json',
        data,
      }),
    };
  }
  return {
    route: 'events/activity-log',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(alert(s)),
  };
}

/** An Activity Log alert rule on version writes, as an action group posts it (common alert schema). */
function alert(s: SignalFacts): Record<string, unknown> {
  const subscriptionId = /^\/subscriptions\/([^/]+)/i.exec(s.versionId)?.[1] ?? '';
  const version = s.versionId.split('/').at(-1) ?? '';
  return {
    schemaId: 'azureMonitorCommonAlertSchema',
    data: {
      essentials: {
        alertId: `/subscriptions/${subscriptionId}/providers/Microsoft.AlertsManagement/alerts/${s.eventId}`,
        alertRule: 'gallery-guard-image-version-write',
        severity: 'Sev4',
        signalType: 'Activity Log',
        monitorCondition: 'Fired',
        monitoringService: 'Activity Log - Administrative',
        // Azure Monitor lower-cases the target ids.
        alertTargetIDs: [s.versionId.toLowerCase()],
        configurationItems: [version],
        originAlertId: `${subscriptionId}_gallery-guard-image-version-write_${s.eventId}`,
        firedDateTime: s.time,
        description: 'A gallery image version was written',
        essentialsVersion: '1.0',
        alertContextVersion: '1.0',
      },
      alertContext: {
        authorization: { action: WRITE, scope: s.versionId },
        channels: 'Operation',
        caller: '00000000-0000-0000-0000-0000000000bb',
        correlationId: s.correlationId,
        eventSource: 'Administrative',
        eventTimestamp: s.time,
        eventDataId: s.eventId,
        level: 'Informational',
        operationName: WRITE,
        status: 'Succeeded',
        subStatus: '',
        submissionTimestamp: s.time,
      },
      customProperties: null,
    },
  };
}
