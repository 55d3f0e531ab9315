#!/bin/sh
# azd postdeploy hook: the code is now deployed and answers Event Grid's validation handshake, so
# provision again with the event wiring switched on. Idempotent; does nothing once wired.
set -eu
if [ "$(azd env get-value GG_WIRE_EVENTS 2>/dev/null || true)" = "true" ]; then
  echo "gallery-guard: events already wired"
  exit 0
fi
azd env set GG_WIRE_EVENTS true
azd provision --no-prompt
