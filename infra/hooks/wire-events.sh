#!/bin/sh
# azd postdeploy hook: the code is now deployed and answers Event Grid's validation handshake, so
# provision again with the event wiring switched on. Idempotent; does nothing once wired.
# Azure allows one system topic per source: if the subscription already has a
# Microsoft.Resources.Subscriptions topic (not ours), it is reused instead of creating a second one.
set -eu
if [ "$(azd env get-value GG_WIRE_EVENTS 2>/dev/null || true)" = "true" ]; then
  echo "gallery-guard: events already wired"
  exit 0
fi
SUB=$(azd env get-value AZURE_SUBSCRIPTION_ID 2>/dev/null || az account show --query id -o tsv)
FOUND=$(az eventgrid system-topic list --subscription "$SUB" -o tsv \
  --query "[?topicType=='Microsoft.Resources.Subscriptions' && ends_with(source, '$SUB') && !starts_with(name, 'egst-gg-')] | [0].[name, resourceGroup]" || true)
if [ -n "$FOUND" ]; then
  NAME=$(printf '%s' "$FOUND" | cut -f1)
  GROUP=$(printf '%s' "$FOUND" | cut -f2)
  echo "gallery-guard: reusing the subscription's system topic $NAME (resource group $GROUP)"
  azd env set GG_EXISTING_SYSTEM_TOPIC "$NAME"
  azd env set GG_EXISTING_SYSTEM_TOPIC_RESOURCE_GROUP "$GROUP"
fi
azd env set GG_WIRE_EVENTS true
azd provision --no-prompt
