# azd postdeploy hook (Windows): see wire-events.sh.
$ErrorActionPreference = 'Stop'
$wired = azd env get-value GG_WIRE_EVENTS 2>$null
if ($wired -eq 'true') { Write-Output 'gallery-guard: events already wired'; exit 0 }
azd env set GG_WIRE_EVENTS true
azd provision --no-prompt
