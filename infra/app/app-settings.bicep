// Every app setting gallery-guard reads in Azure, in one object (`appSettings`). The list is checked
// against shared/config/settings.ts by test/unit/infra/app-settings.test.ts: a setting the code reads
// must appear here (unless it is localOnly), secrets only as Key Vault references.
// An empty value means "use the default documented in shared/config/settings.ts".
param functionAppName string
param storageAccountName string
@description('The storage account\'s blob, queue and table endpoints (they follow the cloud: sovereign clouds have other suffixes).')
param storageEndpoints object
param applicationInsightsConnectionString string
param keyVaultUri string
@description('Names of the Key Vault secrets that were given a value (the others stay empty: feature off).')
param configuredSecrets array
param galleryScopes string
param validationSubscriptionId string
param validationResourceGroup string
@description('JSON object: region -> validation subnet resource id.')
param validationSubnets string
param armEndpoint string
@description('When this deployment ran (utcNow() default in main.bicep): authorization failures soon after are role propagation.')
param deployedAt string
@description('True when api.bicep configured App Service authentication (authsettingsV2).')
param appServiceAuth bool
@description('GG_OPERATOR_GROUPS: Entra group object ids whose members may release or re-validate.')
param operatorGroups string
@description('GG_INGEST_ENTRA_TENANT_ID: tenant of the app registration webhook senders get tokens for; empty: the function key alone.')
param ingestEntraTenantId string
@description('GG_INGEST_ENTRA_AUDIENCES: client id and Application ID URI of that app registration.')
param ingestEntraAudiences string
@description('The cloud\'s Entra login endpoint (environment().authentication.loginEndpoint).')
param entraLoginEndpoint string
param extraAppSettings object

resource functionApp 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

var appSettings = {
  // Host storage through the app's managed identity (no connection string, shared keys are off).
  // Replaces the AzureWebJobsStorage connection string used offline with Azurite.
  AzureWebJobsStorage__accountName: storageAccountName
  AzureWebJobsStorage__credential: 'managedidentity'
  // Service URIs instead of a name the host would complete with the public cloud's suffix: identity-based host
  // storage in any cloud ("Connecting to host storage with an identity", Azure Functions app settings).
  AzureWebJobsStorage__blobServiceUri: storageEndpoints.blob
  AzureWebJobsStorage__queueServiceUri: storageEndpoints.queue
  AzureWebJobsStorage__tableServiceUri: storageEndpoints.table
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD'

  // ARM
  GG_ARM_ENDPOINT: armEndpoint
  GG_ARM_POLL_INTERVAL_MS: ''
  GG_DEPLOYED_AT: deployedAt
  GG_AUTHORIZATION_GRACE_MINUTES: ''

  // Ingest
  GG_GALLERY_SCOPES: galleryScopes
  GG_AUDIT_RETENTION_DAYS: ''
  GG_LOG_LEVEL: ''
  // JSON lines for Application Insights, whatever the host's stdout looks like.
  GG_LOG_FORMAT: 'json'
  // Webhook senders' Entra tokens (action group secure webhook, Event Grid Entra delivery)
  GG_INGEST_ENTRA_TENANT_ID: ingestEntraTenantId
  GG_INGEST_ENTRA_AUDIENCES: ingestEntraAudiences
  GG_INGEST_ENTRA_AUTHORITY: entraLoginEndpoint
  GG_INGEST_ACTION_GROUP_APP_IDS: ''
  GG_INGEST_EVENT_GRID_APP_IDS: ''

  // Operator identity: App Service authentication is configured with the app (api.bicep)
  GG_APP_SERVICE_AUTH: appServiceAuth ? 'true' : 'false'
  GG_OPERATOR_ROLES: ''
  GG_OPERATOR_GROUPS: operatorGroups

  // Validation
  GG_VALIDATION_SUBSCRIPTION_ID: validationSubscriptionId
  GG_VALIDATION_RESOURCE_GROUP: validationResourceGroup
  GG_VALIDATION_SUBNETS: validationSubnets
  GG_MAX_VMS_PER_REGION: ''
  GG_MAX_VMS_PER_SUBSCRIPTION: ''
  GG_REPLICATION_TIMEOUT_SECONDS: ''
  GG_BOOT_TIMEOUT_SECONDS: ''
  GG_VM_TTL_MINUTES: ''
  GG_SWEEP_LOOKBACK_HOURS: ''
  GG_UNCONFIRMED_WAIT_MINUTES: ''
  GG_VALIDATION_POLL_MS: ''
  GG_VALIDATION_SLOT_WAIT_MS: ''
  GG_INFRA_BACKOFF_MS: ''
  GG_INFRA_RETRY_BUDGET: ''
  GG_VALIDATION_ADMIN_USERNAME: ''
  GG_VALIDATION_CLAIM_SECONDS: ''
  GG_RECONCILE_GRACE_MS: ''
  GG_CHECK_SCRIPTS: ''

  // Guest inventory and the policy on its diff
  GG_INVENTORY: ''
  GG_DIFF_BOOT_REGRESSION_PERCENT: ''
  GG_DIFF_BOOT_MIN_SECONDS: ''
  GG_DIFF_MUST_HAVE_PACKAGES: ''
  GG_DIFF_MUST_HAVE_SERVICES: ''
  GG_DIFF_NEW_PORT: ''
  GG_DIFF_WARN_ONLY: ''

  // Remediation
  GG_DEFAULT_MODE: ''
  GG_EOL_GRACE_DAYS: ''
  GG_ACTION_MAX_ATTEMPTS: ''
  GG_ROLLOUT: ''
  GG_ROLLOUT_ORDER: ''
  GG_ROLLOUT_SOAK_MINUTES: ''
  GG_ROLLOUT_ON_FAILURE: ''
  GG_ROLLBACK_PROTECT_PREVIOUS: ''

  // Notifications. Secrets are resolved by the platform from Key Vault with the app identity.
  GG_TEAMS_DEFAULT_WEBHOOK_URL: contains(configuredSecrets, 'gg-teams-default-webhook-url') ? '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/gg-teams-default-webhook-url/)' : ''
  GG_TEAMS_WEBHOOKS: contains(configuredSecrets, 'gg-teams-webhooks') ? '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/gg-teams-webhooks/)' : ''
  GG_PAGERDUTY_ROUTING_KEY: contains(configuredSecrets, 'gg-pagerduty-routing-key') ? '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/gg-pagerduty-routing-key/)' : ''
  GG_PAGERDUTY_EVENTS_URL: ''
  GG_PAGERDUTY_SEVERITY: ''
  GG_ONCALL_WEBHOOK_URL: contains(configuredSecrets, 'gg-oncall-webhook-url') ? '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/gg-oncall-webhook-url/)' : ''
  GG_PORTAL_URL: ''
  GG_NOTIFY_RETRY_BASE_MS: ''
  GG_NOTIFY_TIMEOUT_MS: ''

  // Governance audit
  GG_AUDIT_SCHEDULE: ''
  GG_AUDIT_DIGEST_SCHEDULE: ''
  GG_AUDIT_PASS_MAX_AGE_DAYS: ''
  GG_AUDIT_STUCK_HOURS: ''
  GG_AUDIT_IDENTITY_FAILURES: ''
  GG_AUDIT_MIN_REGIONAL_REPLICAS: ''
  GG_AUDIT_ACTIONS: ''
}

resource settings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: functionApp
  name: 'appsettings'
  properties: union(appSettings, extraAppSettings)
}
