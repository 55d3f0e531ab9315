# azd postdeploy hook (Windows): see wire-events.sh (reuses an existing subscription system topic).
$ErrorActionPreference = 'Stop'
$wired = azd env get-value GG_WIRE_EVENTS 2>$null
if ($wired -eq 'true') { Write-Output 'gallery-guard: events already wired'; exit 0 }
$sub = azd env get-value AZURE_SUBSCRIPTION_ID 2>$null
if (-not $sub) { $sub = az account show --query id -o tsv }
$query = "[?topicType=='Microsoft.Resources.Subscriptions' && ends_with(source, '$sub') && !starts_with(name, 'egst-gg-')] | [0]"
$found = az eventgrid system-topic list --subscription $sub --query $query -o json | ConvertFrom-Json
if ($found) {
  Write-Output "gallery-guard: reusing the subscription's system topic $($found.name) (resource group $($found.resourceGroup))"
  azd env set GG_EXISTING_SYSTEM_TOPIC $found.name
  azd env set GG_EXISTING_SYSTEM_TOPIC_RESOURCE_GROUP $found.resourceGroup
}
azd env set GG_WIRE_EVENTS true
azd provision --no-prompt
