// The Event Grid subscription that delivers gallery image version writes to the app, on a system topic
// for the subscription: gallery-guard's own, or one the subscription already had (Azure allows one
// system topic per source), deployed in that topic's resource group.
@description('Name of the Microsoft.Resources.Subscriptions system topic in this resource group.')
param topicName string
@secure()
@description('Webhook URL including the function key (secure: never shown in deployment history).')
param endpointUrl string
@description('Gallery resource ids; events are filtered to versions inside them while the filter values allow.')
param galleryIds array
@description('Storage account for dead letters; empty for none (the topic needs an identity allowed to write there).')
param deadLetterStorageId string = ''
param deadLetterContainerName string = ''
@description('Tenant Event Grid gets the delivery token from; empty: no Entra token on deliveries.')
param entraTenantId string = ''
@description('Application id or Application ID URI the delivery token is requested for.')
param entraApplicationIdOrUri string = ''

var versionWrite = 'Microsoft.Compute/galleries/images/versions/write'
// Event Grid allows 25 advanced filter values per subscription across all filters (Event filtering,
// "Limitations": learn.microsoft.com/azure/event-grid/event-filtering). One goes to the operation
// name; with more galleries than the remaining 24 the subject filter is left out and the app filters
// by GG_GALLERY_SCOPES, which it checks on every event anyway.
var maxFilterValues = 25
var operationFilter = {
  operatorType: 'StringIn'
  key: 'data.operationName'
  values: [versionWrite]
}
var galleryPrefixes = map(galleryIds, id => '${id}/images/')
var subjectFilter = { operatorType: 'StringBeginsWith', key: 'subject', values: galleryPrefixes }
var subjectFilters = length(galleryPrefixes) <= maxFilterValues - 1 ? [subjectFilter] : []
var deadLetterSettings = {
  identity: { type: 'SystemAssigned' }
  deadLetterDestination: {
    endpointType: 'StorageBlob'
    properties: {
      resourceId: deadLetterStorageId
      blobContainerName: deadLetterContainerName
    }
  }
}

resource topic 'Microsoft.EventGrid/systemTopics@2022-06-15' existing = {
  name: topicName
}

resource versionWrites 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2022-06-15' = {
  parent: topic
  name: 'gallery-image-version-writes'
  properties: {
    eventDeliverySchema: 'EventGridSchema'
    destination: {
      endpointType: 'WebHook'
      properties: {
        endpointUrl: endpointUrl
        maxEventsPerBatch: 1
        preferredBatchSizeInKilobytes: 64
        // Event Grid's first-party app requests an Entra token for this app and sends it as a bearer
        // token with every delivery (learn.microsoft.com/azure/event-grid/secure-webhook-delivery).
        azureActiveDirectoryTenantId: empty(entraTenantId) ? null : entraTenantId
        azureActiveDirectoryApplicationIdOrUri: empty(entraApplicationIdOrUri) ? null : entraApplicationIdOrUri
      }
    }
    filter: {
      includedEventTypes: ['Microsoft.Resources.ResourceWriteSuccess']
      advancedFilters: concat([operationFilter], subjectFilters)
    }
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
    deadLetterWithResourceIdentity: empty(deadLetterStorageId) ? null : deadLetterSettings
  }
}
