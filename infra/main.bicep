// gallery-guard: everything it needs in one subscription-scope deployment (azd up, or
// `az deployment sub create -f infra/main.bicep -p infra/main.parameters.json`).
// Phase 1 (wireEvents=false) creates the app and its least-privilege access; after the code is
// deployed, phase 2 (wireEvents=true) subscribes Event Grid and the Activity Log alert to the app's
// webhooks, because Event Grid validates the endpoint (handshake) the moment the subscription is made.
targetScope = 'subscription'

@minLength(1)
@maxLength(32)
@description('Name of the azd environment; prefixes resource groups and seeds resource names.')
param environmentName string

@minLength(1)
@description('Region of the Function App, storage, Key Vault and monitoring.')
param location string

@minLength(1)
@description('Comma-separated resource ids of the galleries to guard (this subscription). Becomes GG_GALLERY_SCOPES.')
param galleryScopes string

@minLength(1)
@description('Comma-separated regions where validation VMs may run, e.g. "westeurope,northeurope". One VNet each.')
param validationRegions string

@description('Address prefix per validation VNet; region i gets 10.<base+i>.0.0/24.')
@minValue(0)
@maxValue(200)
param validationAddressBase int = 200

@description('Create the Event Grid subscription and Activity Log alert (needs the code deployed: see README).')
param wireEvents bool = false

@description('With wireEvents: also wire Event Grid (the Activity Log alert is always wired).')
param wireEventGrid bool = true

@description('The subscription\'s existing Microsoft.Resources.Subscriptions system topic, if any: Azure allows one per subscription, so it is reused (the azd hook finds it). Empty: gallery-guard creates one.')
param existingSystemTopicName string = ''

@description('Resource group of existingSystemTopicName.')
param existingSystemTopicResourceGroup string = ''

// Secrets: stored in Key Vault, never in app settings or outputs. Empty = feature off.
@secure()
@description('GG_TEAMS_DEFAULT_WEBHOOK_URL: Teams Workflows webhook URL for cards without an owner channel.')
param teamsDefaultWebhookUrl string = ''

@secure()
@description('GG_TEAMS_WEBHOOKS: JSON object name -> Teams Workflows webhook URL.')
param teamsWebhooks string = ''

@secure()
@description('GG_PAGERDUTY_ROUTING_KEY: PagerDuty Events API v2 routing key.')
param pagerDutyRoutingKey string = ''

@secure()
@description('GG_ONCALL_WEBHOOK_URL: generic on-call webhook URL.')
param oncallWebhookUrl string = ''

@description('Client id of the Entra app registration operators sign in to (release/revalidate need a verified principal). Empty: App Service authentication is not configured and those endpoints refuse every call.')
param operatorAuthClientId string = ''

@description('Object id of that same app registration (not its client id). With it, the action group calls the Activity Log webhook as a secure webhook and Event Grid delivers with Microsoft Entra tokens, and the app requires those tokens (GG_INGEST_ENTRA_*). Needs operatorAuthClientId, and the action group / Event Grid service principals in the app roles the README names.')
param authAppObjectId string = ''

@description('GG_OPERATOR_GROUPS: Entra group object ids whose members may release or re-validate (besides the GalleryGuard.Operator app role).')
param operatorGroups string = ''

@description('Plain (non-secret) app settings to add or override, e.g. {"GG_LOG_LEVEL": "debug"}.')
param extraAppSettings object = {}

@description('Time of this deployment (leave the default): new role assignments propagate for a while after it.')
param deployedAt string = utcNow()

// Key Vault secret name (kebab case of the setting name) -> value.
var secretValues = {
  'gg-teams-default-webhook-url': teamsDefaultWebhookUrl
  'gg-teams-webhooks': teamsWebhooks
  'gg-pagerduty-routing-key': pagerDutyRoutingKey
  'gg-oncall-webhook-url': oncallWebhookUrl
}
var configuredSecrets = map(filter(items(secretValues), s => !empty(s.value)), s => s.key)
var tags = { 'azd-env-name': environmentName, app: 'gallery-guard' }
var galleryIds = filter(map(split(galleryScopes, ','), id => trim(id)), id => !empty(id))
var regions = filter(map(split(validationRegions, ','), r => toLower(trim(r))), r => !empty(r))
var token = toLower(uniqueString(subscription().id, environmentName, location))
// Webhook senders authenticate with Entra tokens for the operators' app registration: App Service
// authentication (api.bicep) accepts that audience, and the code checks issuer, audience and caller app.
var ingestEntraAuth = !empty(operatorAuthClientId) && !empty(authAppObjectId)

resource appGroup 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

// Validation VMs live only here: the validator role is assigned on this group and nothing else.
resource validationGroup 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}-validation'
  location: location
  tags: tags
}

module monitoring 'app/monitoring.bicep' = {
  name: 'monitoring'
  scope: appGroup
  params: { location: location, tags: tags, token: token }
}

module observability 'app/observability.bicep' = {
  name: 'observability'
  scope: appGroup
  params: {
    location: location
    tags: tags
    token: token
    applicationInsightsId: monitoring.outputs.applicationInsightsId
  }
}

module storage 'app/storage.bicep' = {
  name: 'storage'
  scope: appGroup
  params: { location: location, tags: tags, token: token }
}

module vault 'app/key-vault.bicep' = {
  name: 'key-vault'
  scope: appGroup
  params: {
    location: location
    tags: tags
    token: token
    secretValues: secretValues
  }
}

module api 'app/api.bicep' = {
  name: 'api'
  scope: appGroup
  params: {
    location: location
    tags: tags
    token: token
    storageAccountName: storage.outputs.accountName
    deploymentContainerName: storage.outputs.deploymentContainerName
    operatorAuthClientId: operatorAuthClientId
  }
}

module appAccess 'app/app-access.bicep' = {
  name: 'app-access'
  scope: appGroup
  params: {
    principalId: api.outputs.principalId
    storageAccountName: storage.outputs.accountName
    keyVaultName: vault.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
  }
}

module network 'app/validation-network.bicep' = [
  for (region, i) in regions: {
    name: 'validation-network-${region}'
    scope: validationGroup
    params: { region: region, tags: tags, addressPrefix: '10.${validationAddressBase + i}.0.0/24' }
  }
]

// Subscription-scope deployments share one namespace: name them per environment.
module roles 'app/roles.bicep' = {
  name: 'gg-roles-${environmentName}'
  params: { environmentName: environmentName, galleryIds: galleryIds }
}

module validatorAccess 'app/validator-access.bicep' = {
  name: 'validator-access'
  scope: validationGroup
  params: { principalId: api.outputs.principalId, roleDefinitionId: roles.outputs.validatorRoleId }
}

module operationStatusAccess 'app/operation-status-access.bicep' = {
  name: 'gg-operation-status-access-${environmentName}'
  params: { principalId: api.outputs.principalId, roleDefinitionId: roles.outputs.operationStatusReaderRoleId }
}

// Galleries in other subscriptions: their PATCHes are long-running operations polled in their own
// subscription, so the status reader is assigned there too.
var otherGallerySubscriptions = filter(union(map(galleryIds, id => toLower(split(id, '/')[2])), []), sub => sub != toLower(subscription().subscriptionId))

module galleryOperationStatusAccess 'app/operation-status-access.bicep' = [
  for sub in otherGallerySubscriptions: {
    name: 'gg-operation-status-access-${environmentName}-${uniqueString(sub)}'
    scope: subscription(sub)
    params: { principalId: api.outputs.principalId, roleDefinitionId: roles.outputs.operationStatusReaderRoleId }
  }
]

module galleryAccess 'app/gallery-access.bicep' = [
  for galleryId in galleryIds: {
    name: 'gg-gallery-access-${environmentName}-${uniqueString(galleryId)}'
    scope: resourceGroup(split(galleryId, '/')[2], split(galleryId, '/')[4])
    params: {
      galleryName: last(split(galleryId, '/'))
      principalId: api.outputs.principalId
      roleDefinitionId: roles.outputs.galleryOperatorRoleId
    }
  }
]

// Region -> subnet id, the shape GG_VALIDATION_SUBNETS expects. Built from the deterministic names
// validation-network.bicep uses (lambdas cannot index a module collection).
var validationSubnets = toObject(
  regions,
  region => region,
  region => '${validationGroup.id}/providers/Microsoft.Network/virtualNetworks/vnet-gg-validation-${region}/subnets/validation'
)

module settings 'app/app-settings.bicep' = {
  name: 'app-settings'
  scope: appGroup
  params: {
    functionAppName: api.outputs.name
    storageAccountName: storage.outputs.accountName
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    keyVaultUri: vault.outputs.uri
    configuredSecrets: configuredSecrets
    galleryScopes: join(galleryIds, ',')
    validationSubscriptionId: subscription().subscriptionId
    validationResourceGroup: validationGroup.name
    validationSubnets: string(validationSubnets)
    armEndpoint: environment().resourceManager
    deployedAt: deployedAt
    storageEndpoints: {
      blob: storage.outputs.blobEndpoint
      queue: storage.outputs.queueEndpoint
      table: storage.outputs.tableEndpoint
    }
    appServiceAuth: api.outputs.appServiceAuth
    operatorGroups: operatorGroups
    ingestEntraTenantId: ingestEntraAuth ? tenant().tenantId : ''
    ingestEntraAudiences: ingestEntraAuth ? '${operatorAuthClientId},api://${operatorAuthClientId}' : ''
    entraLoginEndpoint: environment().authentication.loginEndpoint
    extraAppSettings: extraAppSettings
  }
  // Key Vault references resolve with the app identity: grant it before the settings point at the vault.
  dependsOn: [appAccess, network]
}

module events 'app/event-wiring.bicep' = if (wireEvents) {
  name: 'event-wiring'
  scope: appGroup
  params: {
    functionAppName: api.outputs.name
    storageAccountName: storage.outputs.accountName
    deadLetterContainerName: storage.outputs.deadLetterContainerName
    galleryIds: galleryIds
    tags: tags
    eventGrid: wireEventGrid
    existingSystemTopicName: existingSystemTopicName
    existingSystemTopicResourceGroup: existingSystemTopicResourceGroup
    entraTenantId: ingestEntraAuth ? tenant().tenantId : ''
    entraAppObjectId: ingestEntraAuth ? authAppObjectId : ''
    entraIdentifierUri: ingestEntraAuth ? 'api://${operatorAuthClientId}' : ''
  }
  dependsOn: [settings]
}

output AZURE_LOCATION string = location
output AZURE_RESOURCE_GROUP string = appGroup.name
output AZURE_FUNCTION_APP_NAME string = api.outputs.name
output GG_VALIDATION_RESOURCE_GROUP string = validationGroup.name
output GG_FUNCTION_PRINCIPAL_ID string = api.outputs.principalId
output GG_KEY_VAULT_NAME string = vault.outputs.name
output GG_STORAGE_ACCOUNT_NAME string = storage.outputs.accountName
