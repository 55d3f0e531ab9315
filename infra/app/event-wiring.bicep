// Phase 2 of the deployment (wireEvents=true), once the code is deployed and answers the handshake:
// - an Event Grid system topic on the subscription (or the one it already has) and an event
//   subscription delivering ResourceWriteSuccess of gallery image versions to POST /api/events/eventgrid;
// - an Activity Log alert on the same operation whose action group calls POST /api/events/activity-log
//   with the common alert schema.
// Both webhooks use authLevel 'function': the URL carries the host's default function key, read here
// with listKeys so it never appears in parameters, outputs or the repository. With an app registration
// (entra* params) both senders also attach a Microsoft Entra token the app verifies: the action group
// as a secure webhook (useAadAuth, objectId, identifierUri, tenantId of the receiver:
// learn.microsoft.com/azure/azure-monitor/alerts/action-groups), Event Grid through
// azureActiveDirectoryTenantId/ApplicationIdOrUri on the WebHook destination
// (learn.microsoft.com/azure/event-grid/secure-webhook-delivery).
param functionAppName string
param storageAccountName string
param deadLetterContainerName string
@description('Gallery resource ids; events are filtered to versions inside them.')
param galleryIds array
param tags object
@description('Create the Event Grid subscription (and, unless an existing topic is named, the system topic).')
param eventGrid bool = true
@description('Name of the subscription\'s existing Microsoft.Resources.Subscriptions system topic, if it has one (Azure allows one system topic per source). Empty: gallery-guard creates its own.')
param existingSystemTopicName string = ''
@description('Resource group of the existing system topic.')
param existingSystemTopicResourceGroup string = ''
@description('Tenant of the app registration webhook tokens are issued for; empty: function key only.')
param entraTenantId string = ''
@description('Object id of that app registration (the action group secure webhook names it).')
param entraAppObjectId string = ''
@description('Application ID URI of that app registration (the token audience the senders request).')
param entraIdentifierUri string = ''

var useExistingTopic = !empty(existingSystemTopicName)
var entraAuth = !empty(entraTenantId) && !empty(entraAppObjectId) && !empty(entraIdentifierUri)
var topicName = 'egst-gg-${uniqueString(subscription().id, functionAppName)}'

var versionWrite = 'Microsoft.Compute/galleries/images/versions/write'
var builtIn = loadJsonContent('built-in-roles.json')

resource functionApp 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource deadLetterContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = {
  name: '${storageAccountName}/default/${deadLetterContainerName}'
}

var functionKey = listKeys('${functionApp.id}/host/default', '2024-04-01').functionKeys.default
var baseUrl = 'https://${functionApp.properties.defaultHostName}/api/events'

resource topic 'Microsoft.EventGrid/systemTopics@2022-06-15' = if (eventGrid && !useExistingTopic) {
  name: topicName
  location: 'global'
  tags: tags
  identity: { type: 'SystemAssigned' }
  properties: {
    source: subscription().id
    topicType: 'Microsoft.Resources.Subscriptions'
  }
}

// Shared keys are off on the storage account: Event Grid writes dead letters with its own identity,
// allowed on the dead-letter container only.
resource deadLetterWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (eventGrid && !useExistingTopic) {
  scope: deadLetterContainer
  name: guid(deadLetterContainer.id, topic.id, builtIn.storageBlobDataContributor)
  properties: {
    principalId: topic.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      builtIn.storageBlobDataContributor
    )
  }
}

// The subscription lives with its topic: ours here, or an existing one in its own resource group.
module versionWrites 'event-grid-subscription.bicep' = if (eventGrid) {
  name: 'gg-version-writes-${uniqueString(subscription().id, functionAppName)}'
  scope: resourceGroup(useExistingTopic ? existingSystemTopicResourceGroup : resourceGroup().name)
  params: {
    topicName: useExistingTopic ? existingSystemTopicName : topicName
    endpointUrl: '${baseUrl}/eventgrid?code=${functionKey}'
    galleryIds: galleryIds
    // An existing topic may have no identity allowed to write our container: no dead-lettering there
    // (the missed-event sweep catches what Event Grid gives up on).
    deadLetterStorageId: useExistingTopic ? '' : storage.id
    deadLetterContainerName: deadLetterContainerName
    entraTenantId: entraAuth ? entraTenantId : ''
    entraApplicationIdOrUri: entraAuth ? entraIdentifierUri : ''
  }
  dependsOn: [topic, deadLetterWriter]
}

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: 'ag-gg-${uniqueString(subscription().id, functionAppName)}'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'galleryguard'
    enabled: true
    webhookReceivers: [
      {
        name: 'gallery-guard-activity-log'
        serviceUri: '${baseUrl}/activity-log?code=${functionKey}'
        useCommonAlertSchema: true
        useAadAuth: entraAuth
        objectId: entraAuth ? entraAppObjectId : null
        identifierUri: entraAuth ? entraIdentifierUri : null
        tenantId: entraAuth ? entraTenantId : null
      }
    ]
  }
}

resource versionWriteAlert 'Microsoft.Insights/activityLogAlerts@2020-10-01' = {
  name: 'alert-gg-version-write-${uniqueString(subscription().id, functionAppName)}'
  location: 'global'
  tags: tags
  properties: {
    description: 'A gallery image version was written: gallery-guard validates it (backup path to Event Grid).'
    enabled: true
    scopes: [subscription().id]
    condition: {
      allOf: [
        { field: 'category', equals: 'Administrative' }
        { field: 'operationName', equals: versionWrite }
        { field: 'status', equals: 'Succeeded' }
      ]
    }
    actions: {
      actionGroups: [{ actionGroupId: actionGroup.id }]
    }
  }
}
