import { randomUUID } from 'node:crypto';

const TENANT_ID = '00000000-0000-0000-0000-0000000000aa';
const PRINCIPAL_ID = '00000000-0000-0000-0000-0000000000bb';

/** A ResourceWriteSuccess or ResourceDeleteSuccess event in Event Grid schema, as a subscription topic sends it. */
export function resourceEvent(
  eventType: 'ResourceWriteSuccess' | 'ResourceDeleteSuccess',
  resourceId: string,
  operationName: string,
  endpoint: string,
): Record<string, unknown> {
  const subscriptionId = /^\/subscriptions\/([^/]+)/i.exec(resourceId)?.[1] ?? '';
  const correlationId = randomUUID();
  return {
    id: randomUUID(),
    topic: `/subscriptions/${subscriptionId}`,
    subject: resourceId,
    eventType: `Microsoft.Resources.${eventType}`,
    eventTime: new Date().toISOString(),
    dataVersion: '2',
    metadataVersion: '1',
    data: {
      authorization: {
        scope: resourceId,
        action: operationName,
        evidence: {
          role: 'Contributor',
          roleAssignmentScope: `/subscriptions/${subscriptionId}`,
          roleAssignmentId: randomUUID().replace(/-/g, ''),
          roleDefinitionId: 'b24988ac618042a0ab8820f7382dd24c',
          principalId: PRINCIPAL_ID.replace(/-/g, ''),
          principalType: 'ServicePrincipal',
        },
      },
      claims: {
        aud: 'https://management.azure.com/',
        iss: `https://sts.windows.net/${TENANT_ID}/`,
        appid: '00000000-0000-0000-0000-0000000000cc',
        'http://schemas.microsoft.com/identity/claims/objectidentifier': PRINCIPAL_ID,
        'http://schemas.microsoft.com/identity/claims/tenantid': TENANT_ID,
      },
      correlationId,
      httpRequest: {
        clientRequestId: randomUUID(),
        clientIpAddress: '127.0.0.1',
        method: eventType === 'ResourceDeleteSuccess' ? 'DELETE' : 'PUT',
        url: `${endpoint}${resourceId}`,
      },
      resourceProvider: resourceId.match(/\/providers\/([^/]+)/i)?.[1] ?? '',
      resourceUri: resourceId,
      operationName,
      status: 'Succeeded',
      subscriptionId,
      tenantId: TENANT_ID,
    },
  };
}

/** Posts one event like Event Grid delivers it; failures are reported, never thrown into the simulator. */
export async function deliverEvent(
  url: string,
  event: Record<string, unknown>,
  onError: (e: Error) => void,
): Promise<void> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'aeg-event-type': 'Notification',
        'aeg-delivery-count': '0',
        'aeg-subscription-name': 'GALLERY-GUARD-SIMULATOR',
        'aeg-data-version': String(event.dataVersion),
        'aeg-metadata-version': String(event.metadataVersion),
      },
      body: JSON.stringify([event]),
      signal: AbortSignal.timeout(30_000),
    });
    if (response.status < 200 || response.status > 204)
      onError(new Error(`webhook answered ${response.status}`));
  } catch (error) {
    onError(error instanceof Error ? error : new Error(String(error)));
  }
}
