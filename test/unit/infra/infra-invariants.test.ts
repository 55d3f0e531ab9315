/**
 * Security and wiring invariants of infra/*.bicep, read from the text (Bicep cannot compile here).
 */
import { accessSync, constants, readFileSync } from 'node:fs';
import { RUN_QUEUE_NAME } from '../../../shared/ledger/run-queue';
import { join } from 'node:path';
import {
  BicepExpression,
  at,
  declaration,
  isObject,
  loadBicepTree,
  resolve,
  resources,
  textOf,
  type BicepDeclaration,
  type BicepFile,
  type BicepValue,
} from './bicep';
import { evaluate } from './bicep-eval';

const ROOT = join(__dirname, '../../..');
const files = loadBicepTree(ROOT, join(ROOT, 'infra'));
const VERSION_WRITE = 'Microsoft.Compute/galleries/images/versions/write';

function fileOf(d: BicepDeclaration): BicepFile {
  const file = files.find((f) => f.path === d.file);
  if (file === undefined) throw new Error(`no file ${d.file}`);
  return file;
}

function fileNamed(path: string): BicepFile {
  const file = files.find((f) => f.path === path);
  if (file === undefined) throw new Error(`missing ${path}`);
  return file;
}

function only(type: string): BicepDeclaration {
  const found = resources(files, type).filter((r) => !r.existing);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0]!;
}

function list(value: BicepValue | undefined): BicepValue[] {
  if (!Array.isArray(value)) throw new Error(`expected an array, got ${textOf(value)}`);
  return value;
}

const builtInRoles = JSON.parse(readFileSync(join(ROOT, 'infra/app/built-in-roles.json'), 'utf8')) as Record<
  string,
  string
>;

describe('infra files', () => {
  it('are all found and parsed', () => {
    expect(files.map((f) => f.path)).toEqual(
      expect.arrayContaining(['infra/main.bicep', 'infra/app/event-wiring.bicep', 'infra/app/roles.bicep']),
    );
  });
});

describe('validation network', () => {
  it('declares no public IP of any kind', () => {
    const publicTypes = /publicIPAddresses|publicIPPrefixes|natGateways|bastionHosts|loadBalancers/i;
    expect(
      resources(files)
        .filter((r) => publicTypes.test(r.type))
        .map((r) => `${r.file}: ${r.type}`),
    ).toEqual([]);
    const mentions = files.filter((f) => /publicIp(Address|Prefix)|publicIPAllocation/i.test(f.text));
    expect(mentions.map((f) => f.path)).toEqual([]);
  });

  it('has NSGs that deny every inbound flow and allow none', () => {
    const nsgs = resources(files, 'Microsoft.Network/networkSecurityGroups');
    expect(nsgs.length).toBeGreaterThan(0);
    for (const nsg of nsgs) {
      const rules = list(at(nsg.value, 'properties.securityRules')).map((r) => at(r, 'properties'));
      const inbound = rules.filter((r) => at(r, 'direction') === 'Inbound');
      expect(inbound.filter((r) => at(r, 'access') !== 'Deny')).toEqual([]);
      const denyAll = inbound.filter(
        (r) =>
          at(r, 'protocol') === '*' &&
          at(r, 'sourceAddressPrefix') === '*' &&
          at(r, 'destinationAddressPrefix') === '*' &&
          at(r, 'destinationPortRange') === '*',
      );
      expect(denyAll).toHaveLength(1);
    }
  });

  it('allows outbound only to WireServer, IMDS and regional Storage, and denies the rest', () => {
    const nsg = only('Microsoft.Network/networkSecurityGroups');
    const file = fileOf(nsg);
    const rules = list(at(nsg.value, 'properties.securityRules'))
      .map((r) => evaluate(file, at(r, 'properties'), { region: 'westeurope' }) as Record<string, unknown>)
      .filter((r) => r.direction === 'Outbound')
      .sort((a, b) => Number(a.priority) - Number(b.priority));
    const allows = rules
      .filter((r) => r.access === 'Allow')
      .map((r) => ({
        to: r.destinationAddressPrefix,
        ports: r.destinationPortRanges ?? [r.destinationPortRange],
        protocol: r.protocol,
      }));
    expect(allows).toEqual([
      { to: '168.63.129.16/32', ports: ['80', '32526'], protocol: 'Tcp' },
      { to: '168.63.129.16/32', ports: ['53'], protocol: '*' },
      { to: '169.254.169.254/32', ports: ['80'], protocol: 'Tcp' },
      { to: 'Storage.westeurope', ports: ['443'], protocol: 'Tcp' },
    ]);
    // No allow names AzureCloud, Internet or a wildcard destination.
    expect(allows.filter((a) => /AzureCloud|Internet|^\*$/i.test(String(a.to)))).toEqual([]);
    // The last outbound rule denies everything, and every allow comes before it.
    const last = rules.at(-1)!;
    expect(last).toMatchObject({
      access: 'Deny',
      protocol: '*',
      destinationAddressPrefix: '*',
      destinationPortRange: '*',
    });
    expect(rules.slice(0, -1).every((r) => r.access === 'Allow')).toBe(true);
  });

  it('gives the validation subnet no default outbound access, Storage only through a regional endpoint', () => {
    const vnet = only('Microsoft.Network/virtualNetworks');
    const subnets = list(at(vnet.value, 'properties.subnets'));
    expect(subnets.length).toBeGreaterThan(0);
    for (const subnet of subnets) {
      expect(at(subnet, 'properties.defaultOutboundAccess')).toBe(false);
      expect(
        evaluate(fileOf(vnet), at(subnet, 'properties.serviceEndpoints'), { region: 'westeurope' }),
      ).toEqual([{ service: 'Microsoft.Storage', locations: ['westeurope'] }]);
    }
  });

  it('puts every validation subnet behind that NSG', () => {
    const vnets = resources(files, 'Microsoft.Network/virtualNetworks');
    expect(vnets.length).toBeGreaterThan(0);
    for (const vnet of vnets) {
      const nsgSymbols = resources([fileOf(vnet)], 'Microsoft.Network/networkSecurityGroups').map(
        (n) => n.name,
      );
      for (const subnet of list(at(vnet.value, 'properties.subnets'))) {
        const nsgId = textOf(at(subnet, 'properties.networkSecurityGroup.id'));
        expect(nsgSymbols.map((s) => `${s}.id`)).toContain(nsgId);
      }
    }
  });

  it('creates the networks in the dedicated validation resource group, one per region', () => {
    const main = fileNamed('infra/main.bicep');
    const network = declaration(main, 'module', 'network');
    expect(network.type).toBe('app/validation-network.bicep');
    expect(network.loop).toMatch(/\bin regions$/);
    expect(textOf(at(network.value, 'scope'))).toBe('validationGroup');
    const group = declaration(main, 'resource', 'validationGroup');
    expect(group.type).toBe('Microsoft.Resources/resourceGroups');
  });
});

describe('Function App', () => {
  const site = only('Microsoft.Web/sites');
  const plan = only('Microsoft.Web/serverfarms');

  it('runs on Flex Consumption with Node 22, a version package.json allows (20 stays for development)', () => {
    expect(at(plan.value, 'sku.tier')).toBe('FlexConsumption');
    expect(textOf(at(site.value, 'properties.serverFarmId'))).toBe(`${plan.name}.id`);
    expect(at(site.value, 'properties.functionAppConfig.runtime.name')).toBe('node');
    // Node 20 reached end of life in April 2026; 22 is Flex Consumption's default.
    const version = resolve(fileOf(site), at(site.value, 'properties.functionAppConfig.runtime.version'));
    expect(version).toBe('22');
    const engines = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } })
      .engines.node;
    expect(engines.split('||').map((r) => r.trim().replace(/^\^/, '').split('.')[0])).toEqual(['20', '22']);
  }); // prettier-ignore

  it('derives the storage endpoints from the account (the cloud), and stamps the deployment time', () => {
    const settings = fileNamed('infra/app/app-settings.bicep');
    const values = declaration(settings, 'var', 'appSettings').value;
    for (const service of ['blob', 'queue', 'table'])
      expect(textOf(at(values, `AzureWebJobsStorage__${service}ServiceUri`))).toBe(`storageEndpoints.${service}`);
    const storage = fileNamed('infra/app/storage.bicep');
    expect(textOf(declaration(storage, 'output', 'tableEndpoint').value)).toBe('account.properties.primaryEndpoints.table');
    const main = fileNamed('infra/main.bicep');
    expect(textOf(declaration(main, 'param', 'deployedAt').value)).toBe('utcNow()');
    expect(textOf(at(values, 'GG_DEPLOYED_AT'))).toBe('deployedAt');
    for (const f of files) expect(`${f.path}: ${/core\.windows\.net/.test(f.text)}`).toBe(`${f.path}: false`);
  }); // prettier-ignore

  it('has a system-assigned identity that also pulls the deployment package', () => {
    expect(at(site.value, 'identity.type')).toBe('SystemAssigned');
    expect(at(site.value, 'properties.functionAppConfig.deployment.storage.authentication.type')).toBe(
      'SystemAssignedIdentity',
    );
    expect(at(site.value, 'properties.httpsOnly')).toBe(true);
  });

  it('has the azd hooks azure.yaml runs, executable', () => {
    const yaml = readFileSync(join(ROOT, 'azure.yaml'), 'utf8');
    const hooks = [...yaml.matchAll(/^\s+run: (infra\/hooks\/\S+)$/gm)].map((m) => m[1]!);
    expect(hooks.sort()).toEqual(['infra/hooks/wire-events.ps1', 'infra/hooks/wire-events.sh']);
    expect(() => accessSync(join(ROOT, 'infra/hooks/wire-events.sh'), constants.X_OK)).not.toThrow();
    for (const hook of hooks) expect(readFileSync(join(ROOT, hook), 'utf8')).toMatch(/GG_WIRE_EVENTS/);
  });

  it('carries the azd service tag named in azure.yaml', () => {
    const yaml = readFileSync(join(ROOT, 'azure.yaml'), 'utf8');
    expect(yaml).toMatch(/services:\s*\n\s+api:\s*\n(?:\s+\w+:.*\n)*?\s+host: function/);
    expect(textOf(at(site.value, 'tags'))).toContain("'azd-service-name': 'api'");
  });
});

describe('storage and secrets', () => {
  it('disables shared-key and public blob access on every storage account', () => {
    const accounts = resources(files, 'Microsoft.Storage/storageAccounts').filter((r) => !r.existing);
    expect(accounts.length).toBeGreaterThan(0);
    for (const account of accounts) {
      expect(at(account.value, 'properties.allowSharedKeyAccess')).toBe(false);
      expect(at(account.value, 'properties.allowBlobPublicAccess')).toBe(false);
      expect(at(account.value, 'properties.minimumTlsVersion')).toBe('TLS1_2');
    }
  });

  it('declares the run queue the functions consume', () => {
    const queues = resources(files, 'Microsoft.Storage/storageAccounts/queueServices/queues');
    expect(queues.map((q) => at(q.value, 'name'))).toContain(RUN_QUEUE_NAME);
  });

  it('keeps secrets in an RBAC-only Key Vault', () => {
    const vault = only('Microsoft.KeyVault/vaults');
    expect(at(vault.value, 'properties.enableRbacAuthorization')).toBe(true);
    expect(at(vault.value, 'properties.enableSoftDelete')).toBe(true);
  });

  it('never outputs a secret or a key', () => {
    const outputs = files.flatMap((f) => f.declarations.filter((d) => d.keyword === 'output'));
    // The Application Insights connection string only identifies the resource: local auth is off.
    const leaky = outputs.filter(
      (o) =>
        /listKeys|secret|connectionString\b|key\b/i.test(textOf(o.value)) &&
        o.name !== 'applicationInsightsConnectionString',
    );
    expect(leaky.map((o) => `${o.file}: ${o.name}`)).toEqual([]);
    const secureParams = files.flatMap((f) =>
      f.declarations.filter((d) => d.keyword === 'param' && d.decorators.includes('@secure()')),
    );
    expect(secureParams.length).toBeGreaterThan(0);
  });
});

describe('Event Grid wiring', () => {
  const wiring = fileNamed('infra/app/event-wiring.bicep');
  const subscriptionFile = fileNamed('infra/app/event-grid-subscription.bicep');
  const topic = only('Microsoft.EventGrid/systemTopics');
  const subscription = only('Microsoft.EventGrid/systemTopics/eventSubscriptions');
  const props = at(subscription.value, 'properties');
  const module = declaration(wiring, 'module', 'versionWrites');
  const GALLERY = (sub: string, i: number) =>
    `/subscriptions/${sub}/resourceGroups/rg-images/providers/Microsoft.Compute/galleries/g${i}`;
  /** The subscription's filter as Event Grid gets it, for these galleries. */
  const filtersFor = (galleryIds: string[]) =>
    evaluate(subscriptionFile, at(props, 'filter.advancedFilters'), { galleryIds }) as {
      key: string;
      operatorType: string;
      values: string[];
    }[];

  it('listens to the subscription with a system topic that has an identity', () => {
    expect(at(topic.value, 'properties.topicType')).toBe('Microsoft.Resources.Subscriptions');
    expect(textOf(at(topic.value, 'properties.source'))).toBe('subscription().id');
    expect(at(topic.value, 'identity.type')).toBe('SystemAssigned');
    expect(textOf(at(subscription.value, 'parent'))).toBe('topic');
    const existing = declaration(subscriptionFile, 'resource', 'topic');
    expect(existing.existing).toBe(true);
    expect(textOf(at(existing.value, 'name'))).toBe('topicName');
  });

  it('delivers to the Event Grid webhook with the function key, as a secure module parameter', () => {
    expect(at(props, 'destination.endpointType')).toBe('WebHook');
    expect(textOf(at(props, 'destination.properties.endpointUrl'))).toBe('endpointUrl');
    expect(declaration(subscriptionFile, 'param', 'endpointUrl').decorators).toContain('@secure()');
    expect(textOf(at(module.value, 'params.endpointUrl'))).toMatch(/\/eventgrid\?code=\$\{functionKey\}'?$/);
    expect(textOf(resolve(wiring, new BicepExpression('baseUrl')))).toMatch(/\/api\/events$/);
    expect(textOf(resolve(wiring, new BicepExpression('functionKey')))).toMatch(
      /^listKeys\('\$\{functionApp\.id\}\/host\/default', '[\d-]+'\)\.functionKeys\.default$/,
    );
  });

  it('filters to successful writes of gallery image versions of the guarded galleries', () => {
    expect(at(props, 'filter.includedEventTypes')).toEqual(['Microsoft.Resources.ResourceWriteSuccess']);
    const ids = [GALLERY('s1', 1), GALLERY('s1', 2)];
    expect(filtersFor(ids)).toEqual([
      { operatorType: 'StringIn', key: 'data.operationName', values: [VERSION_WRITE] },
      { operatorType: 'StringBeginsWith', key: 'subject', values: ids.map((id) => `${id}/images/`) },
    ]);
  });

  it('stays within Event Grid’s 25 filter values for any number of galleries (40: the code filters)', () => {
    for (const count of [1, 24, 25, 40]) {
      const ids = Array.from({ length: count }, (_, i) => GALLERY('s1', i));
      const filters = filtersFor(ids);
      expect(filters.reduce((n, f) => n + f.values.length, 0)).toBeLessThanOrEqual(25);
      expect(filters[0]).toMatchObject({ key: 'data.operationName', values: [VERSION_WRITE] });
      // Up to 24 galleries Event Grid filters by subject; beyond, only the operation.
      expect(filters.some((f) => f.key === 'subject')).toBe(count <= 24);
    }
  });

  it('retries within Event Grid limits and dead-letters to a blob container with its identity', () => {
    const attempts = at(props, 'retryPolicy.maxDeliveryAttempts');
    const ttl = at(props, 'retryPolicy.eventTimeToLiveInMinutes');
    expect(typeof attempts === 'number' && attempts >= 1 && attempts <= 30).toBe(true);
    expect(typeof ttl === 'number' && ttl >= 1 && ttl <= 1440).toBe(true);
    const deadLetter = evaluate(subscriptionFile, at(props, 'deadLetterWithResourceIdentity'), {
      deadLetterStorageId: '/storage/id',
      deadLetterContainerName: 'eventgrid-deadletter',
    });
    expect(deadLetter).toEqual({
      identity: { type: 'SystemAssigned' },
      deadLetterDestination: {
        endpointType: 'StorageBlob',
        properties: { resourceId: '/storage/id', blobContainerName: 'eventgrid-deadletter' },
      },
    });
    // The container exists and the topic identity may write there (shared keys are off).
    const storage = fileNamed('infra/app/storage.bicep');
    const containers = resources([storage], 'Microsoft.Storage/storageAccounts/blobServices/containers');
    expect(containers.map((c) => resolve(storage, at(c.value, 'name')))).toContain('eventgrid-deadletter');
    const writer = declaration(wiring, 'resource', 'deadLetterWriter');
    expect(textOf(at(writer.value, 'properties.principalId'))).toBe(`${topic.name}.identity.principalId`);
    expect(textOf(at(writer.value, 'scope'))).toBe('deadLetterContainer');
  });

  it('reuses a subscription system topic that already exists, in its own resource group', () => {
    // Azure allows one system topic per source: with a name given, none is created.
    const given = { existingSystemTopicName: 'their-topic', existingSystemTopicResourceGroup: 'rg-theirs' };
    const none = { existingSystemTopicName: '', existingSystemTopicResourceGroup: '' };
    const names = { functionAppName: 'func', eventGrid: true, resourceGroup: () => ({ name: 'rg-app' }) };
    const when = (params: Record<string, string>, condition: string | undefined) =>
      evaluate(wiring, new BicepExpression(condition ?? 'true'), { ...params, eventGrid: true });
    for (const name of ['topic', 'deadLetterWriter']) {
      const d = declaration(wiring, 'resource', name);
      expect(when(given, d.condition)).toBe(false);
      expect(when(none, d.condition)).toBe(true);
    }
    expect(module.condition).toBe('eventGrid');
    const topicName = (params: Record<string, string>) =>
      evaluate(wiring, at(module.value, 'params.topicName'), params, { ...names, uniqueString: 'x' });
    expect(topicName(given)).toBe('their-topic');
    expect(textOf(at(module.value, 'scope'))).toBe(
      'resourceGroup(useExistingTopic ? existingSystemTopicResourceGroup : resourceGroup().name)',
    );
    // No dead-lettering through a topic whose identity we do not control.
    expect(evaluate(wiring, at(module.value, 'params.deadLetterStorageId'), given)).toBe('');
    // The azd hook finds the existing topic and hands it to main.bicep through the azd environment.
    const hook = readFileSync(join(ROOT, 'infra/hooks/wire-events.sh'), 'utf8');
    expect(hook).toMatch(/az eventgrid system-topic list/);
    expect(hook).toMatch(/azd env set GG_EXISTING_SYSTEM_TOPIC /);
    const parameters = JSON.parse(readFileSync(join(ROOT, 'infra/main.parameters.json'), 'utf8')) as {
      parameters: Record<string, { value: string }>;
    };
    expect(parameters.parameters.existingSystemTopicName?.value).toBe('${GG_EXISTING_SYSTEM_TOPIC=}');
    const events = declaration(fileNamed('infra/main.bicep'), 'module', 'events');
    expect(textOf(at(events.value, 'params.existingSystemTopicName'))).toBe('existingSystemTopicName');
  });

  it('is deployed only in phase 2, after the code answers the handshake', () => {
    const events = declaration(fileNamed('infra/main.bicep'), 'module', 'events');
    expect(events.type).toBe('app/event-wiring.bicep');
    expect(events.condition).toBe('wireEvents');
    // Event Grid can be left out; the Activity Log alert cannot.
    expect(textOf(at(events.value, 'params.eventGrid'))).toBe('wireEventGrid');
    expect(module.type).toBe('event-grid-subscription.bicep');
    for (const name of ['topic', 'deadLetterWriter']) {
      expect(declaration(wiring, 'resource', name).condition).toBe('eventGrid && !useExistingTopic');
    }
    for (const name of ['actionGroup', 'versionWriteAlert']) {
      expect(declaration(wiring, 'resource', name).condition).toBeUndefined();
    }
  });
});

describe('Activity Log alert wiring', () => {
  const wiring = fileNamed('infra/app/event-wiring.bicep');
  const alert = only('Microsoft.Insights/activityLogAlerts');
  const group = only('Microsoft.Insights/actionGroups');

  it('fires on administrative writes of gallery image versions in the subscription', () => {
    const conditions = list(at(alert.value, 'properties.condition.allOf'));
    const equalsOf = (field: string) =>
      resolve(wiring, at(conditions.find((c) => at(c, 'field') === field) ?? {}, 'equals'));
    expect(equalsOf('category')).toBe('Administrative');
    expect(equalsOf('operationName')).toBe(VERSION_WRITE);
    expect(textOf(at(alert.value, 'properties.scopes'))).toContain('subscription().id');
    expect(at(alert.value, 'properties.enabled')).toBe(true);
  });

  it('calls the Activity Log webhook through an action group with the common alert schema', () => {
    const actionGroups = list(at(alert.value, 'properties.actions.actionGroups'));
    expect(actionGroups.map((a) => textOf(at(a, 'actionGroupId')))).toEqual([`${group.name}.id`]);
    const receivers = list(at(group.value, 'properties.webhookReceivers'));
    expect(receivers.length).toBeGreaterThan(0);
    for (const receiver of receivers) {
      expect(at(receiver, 'useCommonAlertSchema')).toBe(true);
      expect(textOf(at(receiver, 'serviceUri'))).toMatch(/\/activity-log\?code=\$\{functionKey\}$/);
    }
  });
});

describe('webhook senders authenticate with Microsoft Entra tokens when an app registration is given', () => {
  const main = fileNamed('infra/main.bicep');
  const wiring = fileNamed('infra/app/event-wiring.bicep');
  const subscriptionFile = fileNamed('infra/app/event-grid-subscription.bicep');
  const group = only('Microsoft.Insights/actionGroups');
  const subscription = only('Microsoft.EventGrid/systemTopics/eventSubscriptions');
  const tenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';
  const on = { entraTenantId: tenant, entraAppObjectId: 'obj-1', entraIdentifierUri: 'api://client-1' };
  const off = { entraTenantId: '', entraAppObjectId: '', entraIdentifierUri: '' };
  const receiver = (params: Record<string, string>) =>
    evaluate(wiring, list(at(group.value, 'properties.webhookReceivers'))[0], {
      ...params,
      functionKey: 'k',
      baseUrl: 'https://app/api/events',
    });

  it('makes the action group a secure webhook naming the app registration', () => {
    expect(receiver(on)).toMatchObject({
      useAadAuth: true,
      objectId: 'obj-1',
      identifierUri: 'api://client-1',
      tenantId: tenant,
      useCommonAlertSchema: true,
    });
    expect(receiver(off)).toMatchObject({
      useAadAuth: false,
      objectId: null,
      identifierUri: null,
      tenantId: null,
    });
  });

  it('has Event Grid deliver with an Entra token for that app', () => {
    const destination = (params: Record<string, string>) =>
      evaluate(subscriptionFile, at(subscription.value, 'properties.destination.properties'), {
        endpointUrl: 'https://app/api/events/eventgrid?code=k',
        ...params,
      });
    expect(destination({ entraTenantId: tenant, entraApplicationIdOrUri: 'api://client-1' })).toMatchObject({
      azureActiveDirectoryTenantId: tenant,
      azureActiveDirectoryApplicationIdOrUri: 'api://client-1',
    });
    expect(destination({ entraTenantId: '', entraApplicationIdOrUri: '' })).toMatchObject({
      azureActiveDirectoryTenantId: null,
      azureActiveDirectoryApplicationIdOrUri: null,
    });
    const module = declaration(wiring, 'module', 'versionWrites');
    expect(evaluate(wiring, at(module.value, 'params.entraApplicationIdOrUri'), on)).toBe('api://client-1');
    expect(evaluate(wiring, at(module.value, 'params.entraTenantId'), on)).toBe(tenant);
  });

  it('switches the app to require those tokens from the same parameters', () => {
    const fns = { tenant: () => ({ tenantId: tenant }) };
    const params = (clientId: string, objectId: string) => ({
      operatorAuthClientId: clientId,
      authAppObjectId: objectId,
    });
    const settings = declaration(main, 'module', 'settings');
    const events = declaration(main, 'module', 'events');
    const both = params('client-1', 'obj-1');
    expect(evaluate(main, at(settings.value, 'params.ingestEntraTenantId'), both, fns)).toBe(tenant);
    expect(evaluate(main, at(settings.value, 'params.ingestEntraAudiences'), both, fns)).toBe(
      'client-1,api://client-1',
    );
    expect(evaluate(main, at(events.value, 'params.entraAppObjectId'), both, fns)).toBe('obj-1');
    expect(evaluate(main, at(events.value, 'params.entraIdentifierUri'), both, fns)).toBe('api://client-1');
    for (const partial of [params('client-1', ''), params('', 'obj-1')]) {
      expect(evaluate(main, at(settings.value, 'params.ingestEntraTenantId'), partial, fns)).toBe('');
      expect(evaluate(main, at(events.value, 'params.entraAppObjectId'), partial, fns)).toBe('');
    }
    // App Service authentication in front accepts the same audiences the code checks.
    const api = fileNamed('infra/app/api.bicep');
    const allowed = at(
      declaration(api, 'resource', 'auth').value,
      'properties.identityProviders.azureActiveDirectory.validation.allowedAudiences',
    );
    expect(list(allowed).map((a) => textOf(a))).toEqual([
      'operatorAuthClientId',
      'api://${operatorAuthClientId}',
    ]);
  });
});

describe('role assignments', () => {
  const assignments = resources(files, 'Microsoft.Authorization/roleAssignments');
  const forbidden = new Set([
    '8e3af657-a8ff-443c-a75c-2fe8c4bcb635', // Owner
    'b24988ac-6180-42a0-ab88-20f7382dd24c', // Contributor
    '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9', // User Access Administrator
    '9980e02c-c2be-4d73-94e8-173b1dc7cf3c', // Virtual Machine Contributor
  ]);

  it('use only data-plane built-in roles or the two custom roles', () => {
    expect(Object.values(builtInRoles).filter((id) => forbidden.has(id))).toEqual([]);
    for (const assignment of assignments) {
      const role = textOf(at(assignment.value, 'properties.roleDefinitionId'));
      const builtIn = /builtIn\.(\w+)\s*\)$/.exec(role)?.[1];
      if (builtIn !== undefined) expect(Object.keys(builtInRoles)).toContain(builtIn);
      else expect(role).toBe('roleDefinitionId');
      expect(at(assignment.value, 'properties.principalType')).toBe('ServicePrincipal');
    }
  });

  it('are made at subscription scope only for the operation status reader role', () => {
    const subscriptionFiles = files.filter((f) => /^\s*targetScope\s*=\s*'subscription'/m.test(f.text));
    expect(subscriptionFiles.length).toBeGreaterThan(0);
    const atSubscription = resources(subscriptionFiles, 'Microsoft.Authorization/roleAssignments');
    expect(atSubscription.map((a) => `${a.file}: ${a.name}`)).toEqual([
      'infra/app/operation-status-access.bicep: statusReader',
    ]);
    const main = fileNamed('infra/main.bicep');
    const module = declaration(main, 'module', 'operationStatusAccess');
    expect(module.type).toBe('app/operation-status-access.bicep');
    expect(textOf(at(module.value, 'params.roleDefinitionId'))).toBe(
      'roles.outputs.operationStatusReaderRoleId',
    );
  });

  it('grant the gallery operator role on each guarded gallery, not its resource group', () => {
    const access = fileNamed('infra/app/gallery-access.bicep');
    const [operator] = resources([access], 'Microsoft.Authorization/roleAssignments');
    const [gallery] = resources([access], 'Microsoft.Compute/galleries');
    expect(gallery?.existing).toBe(true);
    expect(textOf(at(operator?.value, 'scope'))).toBe(gallery?.name);
    const main = fileNamed('infra/main.bicep');
    const module = declaration(main, 'module', 'galleryAccess');
    expect(module.loop).toBe('galleryId in galleryIds');
    expect(textOf(at(module.value, 'params.roleDefinitionId'))).toBe('roles.outputs.galleryOperatorRoleId');
  });

  it('grant the validator role on the validation resource group only', () => {
    const main = fileNamed('infra/main.bicep');
    const module = declaration(main, 'module', 'validatorAccess');
    expect(module.type).toBe('app/validator-access.bicep');
    expect(textOf(at(module.value, 'scope'))).toBe('validationGroup');
    expect(textOf(at(module.value, 'params.roleDefinitionId'))).toBe('roles.outputs.validatorRoleId');
    const [assignment] = resources([fileNamed('infra/app/validator-access.bicep')]);
    expect(at(assignment?.value, 'scope')).toBeUndefined();
  });
});

describe('app settings point where the roles are assigned', () => {
  const main = fileNamed('infra/main.bicep');
  const settings = declaration(main, 'module', 'settings');
  const param = (name: string) => textOf(at(settings.value, `params.${name}`));

  it('validates in the resource group the validator role is assigned on', () => {
    expect(param('validationResourceGroup')).toBe('validationGroup.name');
    expect(param('validationSubscriptionId')).toBe('subscription().subscriptionId');
    expect(textOf(at(declaration(main, 'module', 'validatorAccess').value, 'scope'))).toBe('validationGroup');
  });

  it('hands the engine exactly the subnets validation-network.bicep creates', () => {
    expect(param('validationSubnets')).toBe('string(validationSubnets)');
    const subnets = textOf(declaration(main, 'var', 'validationSubnets').value);
    expect(subnets).toContain(
      "'${validationGroup.id}/providers/Microsoft.Network/virtualNetworks/vnet-gg-validation-${region}/subnets/validation'",
    );
    const network = fileNamed('infra/app/validation-network.bicep');
    const vnet = declaration(network, 'resource', 'vnet');
    expect(at(vnet.value, 'name')).toBe('vnet-gg-validation-${region}');
    expect(list(at(vnet.value, 'properties.subnets')).map((s) => at(s, 'name'))).toEqual(['validation']);
  });

  it('scopes the code to the galleries the gallery operator role is assigned on', () => {
    expect(param('galleryScopes')).toBe("join(galleryIds, ',')");
    expect(declaration(main, 'module', 'galleryAccess').loop).toBe('galleryId in galleryIds');
    const events = declaration(main, 'module', 'events');
    expect(textOf(at(events.value, 'params.galleryIds'))).toBe('galleryIds');
  });
});

describe('custom roles', () => {
  const roles = fileNamed('infra/app/roles.bicep');
  const spec = JSON.parse(readFileSync(join(ROOT, 'infra/role-actions.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  const roleKeys = Object.keys(spec).filter((k) => !k.startsWith('$'));

  it('take their actions from infra/role-actions.json and nothing else', () => {
    expect(textOf(declaration(roles, 'var', 'spec').value)).toBe("loadJsonContent('../role-actions.json')");
    const definitions = resources([roles], 'Microsoft.Authorization/roleDefinitions');
    expect(definitions).toHaveLength(roleKeys.length);
    const used = definitions.map((definition) => {
      const permissions = list(at(definition.value, 'properties.permissions'));
      expect(permissions).toHaveLength(1);
      const [permission] = permissions;
      for (const empty of ['notActions', 'dataActions', 'notDataActions']) {
        expect(at(permission, empty)).toEqual([]);
      }
      const actions = textOf(at(permission, 'actions'));
      const key = /^map\(spec\.(\w+)\.actions, a => a\.action\)$/.exec(actions)?.[1];
      expect(key).toBeDefined();
      expect(textOf(at(definition.value, 'properties.description'))).toBe(`spec.${key}.description`);
      // Assignable where the role is assigned: the galleries' subscriptions for the roles used there.
      const scopes = evaluate(roles, at(definition.value, 'properties.assignableScopes'), {
        galleryIds: ['/subscriptions/other/resourceGroups/rg/providers/Microsoft.Compute/galleries/g'],
      }, { subscription: () => ({ id: '/subscriptions/home' }) }); // prettier-ignore
      expect(scopes).toEqual(
        key === 'validator' ? ['/subscriptions/home'] : ['/subscriptions/home', '/subscriptions/other'],
      );
      return key;
    });
    expect(used.sort()).toEqual([...roleKeys].sort());
  });

  it('are defined at subscription scope with stable names', () => {
    expect(roles.text).toMatch(/^targetScope = 'subscription'$/m);
    for (const definition of resources([roles], 'Microsoft.Authorization/roleDefinitions')) {
      expect(textOf(at(definition.value, 'name'))).toMatch(
        /^guid\(subscription\(\)\.id, environmentName, '[\w-]+'\)$/,
      );
    }
  });
});

describe('deployment parameters', () => {
  const main = fileNamed('infra/main.bicep');
  const parameters = JSON.parse(readFileSync(join(ROOT, 'infra/main.parameters.json'), 'utf8')) as {
    parameters: Record<string, { value: unknown }>;
  };

  it('name only parameters main.bicep declares, and every required one', () => {
    const params = main.declarations.filter((d) => d.keyword === 'param');
    const names = params.map((p) => p.name);
    expect(Object.keys(parameters.parameters).filter((p) => !names.includes(p))).toEqual([]);
    const required = params.filter((p) => p.value === undefined).map((p) => p.name);
    expect(required.filter((p) => !(p in parameters.parameters))).toEqual([]);
  });

  it('pass secrets only to @secure() parameters', () => {
    for (const param of main.declarations.filter((d) => d.keyword === 'param')) {
      const isSecretInput = /webhook|routingkey|key$|secret|password/i.test(param.name);
      expect({ name: param.name, secure: param.decorators.includes('@secure()') }).toEqual({
        name: param.name,
        secure: isSecretInput,
      });
    }
  });

  it('keeps every module parameter supplied', () => {
    const missing: string[] = [];
    for (const module of main.declarations.filter((d) => d.keyword === 'module')) {
      const target = fileNamed(join('infra', module.type));
      const given = at(module.value, 'params');
      const givenNames = isObject(given) ? Object.keys(given) : [];
      for (const param of target.declarations.filter((d) => d.keyword === 'param')) {
        if (param.value === undefined && !givenNames.includes(param.name))
          missing.push(`${module.name}.${param.name}`);
      }
      for (const name of givenNames) {
        if (!target.declarations.some((d) => d.keyword === 'param' && d.name === name)) {
          missing.push(`${module.name}: unknown param ${name}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
