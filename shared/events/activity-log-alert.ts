import { firstImageVersionId, versionOperationKind } from './version-operation';
import { parsePayloadJson } from './payload-json';
import { PayloadError, SignalSource, type ReceivedEvent } from './version-signal';

export const COMMON_ALERT_SCHEMA_ID = 'azureMonitorCommonAlertSchema';

function object(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new PayloadError(`${what} is missing or not an object`);
  }
  return value as Record<string, unknown>;
}

function text(container: Record<string, unknown>, name: string, what: string): string {
  const value = container[name];
  if (typeof value !== 'string' || value.trim() === '') throw new PayloadError(`${what}.${name} is missing`);
  return value;
}

function optionalText(container: Record<string, unknown>, name: string): string | undefined {
  const value = container[name];
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/**
 * Reads an Azure Monitor common-alert-schema payload from an Activity Log alert's action group.
 * Only a *fired* alert about a *succeeded* image-version write (or delete) becomes a signal: Activity
 * Log also records the "Started" phase, and alerts resolve; those are ignored. The alert carries no
 * resource id field of its own, so the id comes from authorization.scope (ARM spelling) or
 * essentials.alertTargetIDs (often lower-cased).
 */
export function parseActivityLogAlert(body: string): ReceivedEvent {
  const root = object(parsePayloadJson(body), 'Payload');
  if (root.schemaId !== COMMON_ALERT_SCHEMA_ID) {
    throw new PayloadError(`schemaId must be "${COMMON_ALERT_SCHEMA_ID}" (enable the common alert schema)`);
  }
  const data = object(root.data, 'data');
  const essentials = object(data.essentials, 'data.essentials');
  const context = object(data.alertContext, 'data.alertContext');
  const eventId = optionalText(essentials, 'alertId') ?? text(context, 'eventDataId', 'data.alertContext');
  const operationName = text(context, 'operationName', 'data.alertContext');
  const status = text(context, 'status', 'data.alertContext');
  const monitorCondition = optionalText(essentials, 'monitorCondition') ?? 'Fired';
  const authorization =
    typeof context.authorization === 'object' && context.authorization !== null
      ? (context.authorization as Record<string, unknown>)
      : {};
  const targets = Array.isArray(essentials.alertTargetIDs)
    ? essentials.alertTargetIDs.filter((t): t is string => typeof t === 'string')
    : [];
  const scope = optionalText(authorization, 'scope');
  const base = {
    eventId,
    source: SignalSource.ActivityLog,
    eventType: `ActivityLog:${operationName}:${status}`,
    subject: scope ?? targets[0],
  };

  if (monitorCondition.toLowerCase() !== 'fired') {
    return { ...base, ignoreReason: `alert is ${monitorCondition}, not Fired` };
  }
  const kind = versionOperationKind(operationName);
  if (kind === undefined)
    return { ...base, ignoreReason: `operation ${operationName} is not an image version write` };
  if (status.toLowerCase() !== 'succeeded') {
    return { ...base, ignoreReason: `operation status is ${status}, not Succeeded` };
  }
  if (scope === undefined && targets.length === 0) {
    throw new PayloadError(
      'No resource id: neither alertContext.authorization.scope nor essentials.alertTargetIDs',
    );
  }
  const parsedId = firstImageVersionId([scope, ...targets]);
  if ('error' in parsedId) return { ...base, ignoreReason: `not an image version id (${parsedId.error})` };
  const eventTime = optionalText(context, 'eventTimestamp') ?? optionalText(essentials, 'firedDateTime');
  return {
    ...base,
    signal: {
      eventId,
      source: SignalSource.ActivityLog,
      kind,
      version: parsedId.version,
      eventTime:
        eventTime === undefined || Number.isNaN(Date.parse(eventTime))
          ? undefined
          : new Date(eventTime).toISOString(),
      correlationId: optionalText(context, 'correlationId'),
    },
  };
}
