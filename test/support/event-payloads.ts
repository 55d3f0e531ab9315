import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Real-shaped payloads from test/fixtures, with the few fields a test needs to vary. */
const FIXTURES = join(__dirname, '..', 'fixtures');

export function loadFixture<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as T;
}

export const FIXTURE_SUBSCRIPTION = '8f2d6c3a-1b5e-4c2d-9f00-3a7b6c5d4e21';
/** The gallery every fixture event is about. */
export const FIXTURE_GALLERY_ID = `/subscriptions/${FIXTURE_SUBSCRIPTION}/resourceGroups/rg-images/providers/Microsoft.Compute/galleries/contosoGallery`;

export function versionIdOf(version: string, options: { gallery?: string; image?: string } = {}): string {
  const gallery = options.gallery ?? FIXTURE_GALLERY_ID;
  return `${gallery}/images/${options.image ?? 'ubuntu-22-04-hardened'}/versions/${version}`;
}

type Json = Record<string, unknown>;

export interface WriteOptions {
  readonly versionId?: string;
  readonly eventId?: string;
  readonly eventType?: string;
  readonly operationName?: string;
  readonly correlationId?: string;
}

/** Event Grid schema delivery (an array) of ResourceWriteSuccess for an image version. */
export function eventGridWrite(options: WriteOptions = {}): Json[] {
  const [event] = loadFixture<Json[]>('eventgrid-version-write-success.json');
  const data = { ...(event!.data as Json) };
  if (options.versionId !== undefined) {
    data.resourceUri = options.versionId;
    data.authorization = { ...(data.authorization as Json), scope: options.versionId };
  }
  if (options.operationName !== undefined) data.operationName = options.operationName;
  if (options.correlationId !== undefined) data.correlationId = options.correlationId;
  return [
    {
      ...event,
      ...(options.eventId === undefined ? {} : { id: options.eventId }),
      ...(options.versionId === undefined ? {} : { subject: options.versionId }),
      ...(options.eventType === undefined ? {} : { eventType: options.eventType }),
      data,
    },
  ];
}

/** A single CloudEvents 1.0 event of ResourceWriteSuccess for an image version. */
export function cloudEventWrite(options: WriteOptions = {}): Json {
  const event = loadFixture<Json>('cloudevents-version-write-success.json');
  const data = { ...(event.data as Json) };
  if (options.versionId !== undefined) data.resourceUri = options.versionId;
  if (options.operationName !== undefined) data.operationName = options.operationName;
  if (options.correlationId !== undefined) data.correlationId = options.correlationId;
  return {
    ...event,
    ...(options.eventId === undefined ? {} : { id: options.eventId }),
    ...(options.versionId === undefined ? {} : { subject: options.versionId }),
    ...(options.eventType === undefined ? {} : { type: options.eventType }),
    data,
  };
}

export interface AlertOptions {
  readonly versionId?: string;
  readonly alertId?: string;
  readonly status?: string;
  readonly monitorCondition?: string;
  readonly operationName?: string;
  /** Put the id only in alertTargetIDs, lower-cased, as Azure Monitor often does. */
  readonly targetOnly?: boolean;
}

/** Azure Monitor common-alert-schema payload of an Activity Log alert on an image version write. */
export function activityLogAlert(options: AlertOptions = {}): Json {
  const alert = loadFixture<{ schemaId: string; data: { essentials: Json; alertContext: Json } }>(
    'activity-log-alert-version-write.json',
  );
  const essentials = { ...alert.data.essentials };
  const context = { ...alert.data.alertContext };
  if (options.versionId !== undefined) {
    essentials.alertTargetIDs = [options.versionId.toLowerCase()];
    context.authorization = { ...(context.authorization as Json), scope: options.versionId };
  }
  if (options.targetOnly === true) {
    const { scope: _scope, ...authorization } = context.authorization as Json;
    context.authorization = authorization;
  }
  if (options.alertId !== undefined) essentials.alertId = options.alertId;
  if (options.monitorCondition !== undefined) essentials.monitorCondition = options.monitorCondition;
  if (options.status !== undefined) context.status = options.status;
  if (options.operationName !== undefined) context.operationName = options.operationName;
  return { ...alert, data: { ...alert.data, essentials, alertContext: context } };
}
