// Key Vault for gallery-guard's secrets (Teams / on-call webhook URLs, PagerDuty routing key).
// RBAC authorization only (no access policies); the app identity gets "Key Vault Secrets User" in
// app-access.bicep and reads them through Key Vault references in its app settings.
// A secret is stored only when a value is given; its name is the setting name in kebab case
// (GG_PAGERDUTY_ROUTING_KEY -> gg-pagerduty-routing-key).
param location string
param tags object
param token string

@secure()
@description('Secret name -> value; empty values are skipped.')
param secretValues object

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-gg-${take(token, 17)}'
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    // No purge protection: `azd down --purge` must be able to free the name for a redeploy, and the
    // vault only holds webhook URLs / a routing key that can be reissued. (Once on, it cannot be
    // turned off, so it is left to operators who want it.)
    publicNetworkAccess: 'Enabled'
  }
}

resource secrets 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = [
  for secret in items(secretValues): if (!empty(secret.value)) {
    parent: vault
    name: secret.key
    properties: { value: secret.value }
  }
]

output name string = vault.name
output uri string = vault.properties.vaultUri
