// The Function App on Flex Consumption (Linux, Node), with a system-assigned identity. The deployment
// package is pulled from blob storage with that identity; app settings live in app-settings.bicep.
param location string
param tags object
param token string
param storageAccountName string
param deploymentContainerName string

// Node 20 reached end of life in April 2026; Node 22 is Flex Consumption's default. The code runs on
// both (package.json engines), and development machines stay on 20.
@allowed(['20', '22'])
param nodeVersion string = '22'

@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40
@description('Client id of the Entra app registration operators sign in to. Empty: no App Service authentication.')
param operatorAuthClientId string = ''

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-gg-${token}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { name: 'FC1', tier: 'FlexConsumption' }
  properties: { reserved: true }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: 'func-gg-${token}'
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: { type: 'SystemAssigned' }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    publicNetworkAccess: 'Enabled'
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: { type: 'SystemAssignedIdentity' }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: 2048
      }
      runtime: { name: 'node', version: nodeVersion }
    }
  }
}

// Publishing credentials (basic auth) off: deployments authenticate with Entra ID.
resource ftp 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01' = {
  parent: functionApp
  name: 'ftp'
  properties: { allow: false }
}

resource scm 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01' = {
  parent: functionApp
  name: 'scm'
  properties: { allow: false }
}

output name string = functionApp.name
output principalId string = functionApp.identity.principalId

// App Service authentication (Easy Auth) with Microsoft Entra ID: the platform validates the caller's
// token and injects x-ms-client-principal, which external requests cannot set
// (https://learn.microsoft.com/azure/app-service/configure-authentication-user-identities). Requests
// without a token pass through (the webhooks authenticate with keys or their own Entra tokens); the
// release/revalidate handlers require the verified principal and an operator role or group.
resource auth 'Microsoft.Web/sites/config@2024-04-01' = if (!empty(operatorAuthClientId)) {
  parent: functionApp
  name: 'authsettingsV2'
  properties: {
    platform: { enabled: true }
    globalValidation: {
      requireAuthentication: false
      unauthenticatedClientAction: 'AllowAnonymous'
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: operatorAuthClientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
        }
        validation: {
          allowedAudiences: [operatorAuthClientId, 'api://${operatorAuthClientId}']
        }
      }
    }
    login: { tokenStore: { enabled: false } }
  }
}

output appServiceAuth bool = !empty(operatorAuthClientId)
