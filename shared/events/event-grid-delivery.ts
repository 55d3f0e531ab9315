import type { CloudEvent, EventGridEvent } from '@azure/eventgrid';
import type * as EventGridSdk from './eventgrid-sdk';
import { parseImageVersionId, ResourceIdError } from '../arm/resource-id';
import { parsePayloadJson } from './payload-json';
import { firstImageVersionId, versionOperationKind } from './version-operation';
import { PayloadError, SignalKind, SignalSource, type ReceivedEvent } from './version-signal';

/** The SubscriptionValidationEvent of a delivery: answered with its code. */
export interface SubscriptionValidation {
  readonly eventId: string;
  readonly validationCode: string;
}

/**
 * What an Event Grid webhook delivery asks of us: the events to ingest and, when the batch holds a
 * SubscriptionValidationEvent, the handshake to answer as well (neither drops the other).
 */
export interface EventGridDelivery {
  readonly schema: 'eventgrid' | 'cloudevents';
  readonly validation?: SubscriptionValidation;
  readonly events: ReceivedEvent[];
}

const VALIDATION_EVENT = 'Microsoft.EventGrid.SubscriptionValidationEvent';
const WRITE_SUCCESS = 'Microsoft.Resources.ResourceWriteSuccess';
const DELETE_SUCCESS = 'Microsoft.Resources.ResourceDeleteSuccess';

/** The Event Grid SDK, required on the first delivery (see eventgrid-sdk.ts), and one deserializer. */
let sdk:
  | { readonly module: typeof EventGridSdk; readonly deserializer: EventGridSdk.EventGridDeserializer }
  | undefined;
function eventGridSdk(): NonNullable<typeof sdk> {
  if (sdk === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberately lazy
    const module = require('./eventgrid-sdk') as typeof EventGridSdk;
    sdk = { module, deserializer: new module.EventGridDeserializer() };
  }
  return sdk;
}

function detectSchema(parsed: unknown, contentType: string | undefined): 'eventgrid' | 'cloudevents' {
  if (contentType !== undefined && /application\/cloudevents(-batch)?\+json/i.test(contentType)) {
    return 'cloudevents';
  }
  const first: unknown = Array.isArray(parsed) ? parsed[0] : parsed;
  if (typeof first !== 'object' || first === null)
    throw new PayloadError('Payload is not an event or array of events');
  if ('specversion' in first) return 'cloudevents';
  if ('eventType' in first) return 'eventgrid';
  throw new PayloadError(
    'Payload is neither Event Grid schema (eventType) nor CloudEvents 1.0 (specversion)',
  );
}

/** The fields of ResourceWrite/DeleteSuccess data we rely on; everything else is optional to us. */
function resourceEvent(
  base: { eventId: string; source: SignalSource; eventType: string; subject?: string; eventTime?: Date },
  data: unknown,
): ReceivedEvent {
  const kindByType = base.eventType === WRITE_SUCCESS ? SignalKind.Write : SignalKind.Delete;
  if (typeof data !== 'object' || data === null) {
    throw new PayloadError(`Event ${base.eventId}: ${base.eventType} without a data object`);
  }
  const { operationName, resourceUri, correlationId } = data as Record<string, unknown>;
  if (typeof operationName !== 'string') {
    throw new PayloadError(`Event ${base.eventId}: data.operationName is missing`);
  }
  if (versionOperationKind(operationName) !== kindByType) {
    return { ...base, ignoreReason: `operation ${operationName} is not an image version ${kindByType}` };
  }
  const parsed = firstImageVersionId([
    typeof resourceUri === 'string' ? resourceUri : undefined,
    base.subject,
  ]);
  if ('error' in parsed) return { ...base, ignoreReason: `not an image version id (${parsed.error})` };
  const disagreement = subjectDisagreement(base.subject, parsed.version.key);
  if (disagreement !== undefined) return { ...base, ignoreReason: disagreement, rejected: true };
  return {
    ...base,
    signal: {
      eventId: base.eventId,
      source: base.source,
      kind: kindByType,
      version: parsed.version,
      eventTime: base.eventTime?.toISOString(),
      correlationId: typeof correlationId === 'string' ? correlationId : undefined,
    },
  };
}

/**
 * For resource events `subject` is the resource id, as is `data.resourceUri`; an event whose two
 * disagree (case-insensitively, like ARM) names two resources and is rejected rather than guessed at.
 */
function subjectDisagreement(subject: string | undefined, versionKey: string): string | undefined {
  if (subject === undefined || subject.trim() === '') return undefined;
  let subjectKey: string;
  try {
    subjectKey = parseImageVersionId(subject).key;
  } catch (error) {
    if (!(error instanceof ResourceIdError)) throw error;
    subjectKey = subject.trim().replace(/\/$/, '').toLowerCase();
  }
  return subjectKey === versionKey ? undefined : 'subject and data.resourceUri name different resources';
}

function fromEventGridEvent(event: EventGridEvent<unknown>): ReceivedEvent {
  const base = {
    eventId: event.id,
    source: SignalSource.EventGrid,
    eventType: event.eventType,
    subject: event.subject,
    eventTime: event.eventTime,
  };
  if (
    eventGridSdk().module.isSystemEvent(WRITE_SUCCESS, event) ||
    eventGridSdk().module.isSystemEvent(DELETE_SUCCESS, event)
  ) {
    return resourceEvent(base, event.data);
  }
  return { ...base, ignoreReason: `event type ${event.eventType} is not handled` };
}

function fromCloudEvent(event: CloudEvent<unknown>): ReceivedEvent {
  const base = {
    eventId: event.id,
    source: SignalSource.CloudEvents,
    eventType: event.type,
    subject: event.subject,
    eventTime: event.time,
  };
  if (
    eventGridSdk().module.isSystemEvent(WRITE_SUCCESS, event) ||
    eventGridSdk().module.isSystemEvent(DELETE_SUCCESS, event)
  ) {
    return resourceEvent(base, event.data);
  }
  return { ...base, ignoreReason: `event type ${event.type} is not handled` };
}

/**
 * Parses a webhook body in either Event Grid schema (always an array) or CloudEvents 1.0 (single or
 * batch). Throws PayloadError for anything malformed, so the caller answers 400 (not retried).
 */
export async function parseEventGridDelivery(body: string, contentType?: string): Promise<EventGridDelivery> {
  const parsed = parsePayloadJson(body);
  if (Array.isArray(parsed) && parsed.length === 0) throw new PayloadError('Empty event array');
  const schema = detectSchema(parsed, contentType);
  try {
    if (schema === 'cloudevents') {
      const events = await eventGridSdk().deserializer.deserializeCloudEvents(body);
      return { schema, events: events.map(fromCloudEvent) };
    }
    const events = await eventGridSdk().deserializer.deserializeEventGridEvents(body);
    let validation: SubscriptionValidation | undefined;
    const others: ReceivedEvent[] = [];
    for (const event of events) {
      if (!eventGridSdk().module.isSystemEvent(VALIDATION_EVENT, event)) {
        others.push(fromEventGridEvent(event));
        continue;
      }
      const code = event.data?.validationCode;
      if (typeof code !== 'string' || code === '') {
        throw new PayloadError('SubscriptionValidationEvent without data.validationCode');
      }
      validation ??= { eventId: event.id, validationCode: code };
    }
    return { schema, events: others, ...(validation === undefined ? {} : { validation }) };
  } catch (error) {
    if (error instanceof PayloadError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new PayloadError(
      `Not a valid ${schema === 'cloudevents' ? 'CloudEvents 1.0' : 'Event Grid'} payload: ${reason}`,
      {
        cause: error,
      },
    );
  }
}
