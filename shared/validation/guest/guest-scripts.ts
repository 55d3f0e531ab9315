/**
 * In-guest check scripts run through Run Command. Each prints ONE compact JSON line so the result fits
 * in Run Command's 4 KB output window; identities are hashed rather than printed. Every path is
 * prefixed with ${GG_GUEST_ROOT:-} (empty on a real VM; the simulator points it at a fake guest root).
 */

export const LINUX_REPORT_MARKER = 'GGCHECK ';

const SAFE_USER = /^[a-z_][a-z0-9_-]{0,31}$/;

/**
 * Leftover paths are listed until the list reaches this many bytes, the rest only counted: with the
 * other fields (at most ~700 bytes) the report line stays well inside Run Command's 4,096-byte output
 * ("Run scripts in your Linux VM by using action Run Commands", Restrictions), whatever the guest holds.
 */
export const LEFTOVER_LIST_BYTES = 2000;

/** Bash script reporting provisioning, hostname, host keys, machine-id and leftover secrets. */
export function linuxCheckScript(adminUsername: string): string {
  if (!SAFE_USER.test(adminUsername)) throw new Error(`Unsafe admin user name "${adminUsername}"`);
  return `#!/bin/bash
R="\${GG_GUEST_ROOT:-}"
ADMIN='${adminUsername}'
h() { if [ -s "$1" ]; then sha256sum "$1" | cut -c1-16; fi; }
s() { printf '%s' "$1" | tr -d '"\\\\' | tr -d '\\000-\\037' | cut -c1-200; }
HOST=$(head -n1 "$R/etc/hostname" 2>/dev/null)
[ -z "$R" ] && HOST=$(hostname)
MID=$(h "$R/etc/machine-id")
KEYS=""
for t in ed25519 rsa ecdsa; do
  v=$(h "$R/etc/ssh/ssh_host_\${t}_key.pub")
  [ -n "$v" ] && KEYS="$KEYS\${KEYS:+,}\\"$t\\":\\"$v\\""
done
REGEN=$(grep -E '^Provisioning.RegenerateSshHostKeyPair=' "$R/etc/waagent.conf" 2>/dev/null | cut -d= -f2 | tr -d ' ')
CI="absent"; CIERR=""
if [ -f "$R/var/lib/cloud/data/result.json" ]; then
  FLAT=$(tr -d ' \\n\\r\\t' < "$R/var/lib/cloud/data/result.json")
  if printf '%s' "$FLAT" | grep -q '"errors":\\[\\]'; then CI="ok"; else CI="errors"; CIERR=$(s "$(printf '%s' "$FLAT" | grep -o '"errors":\\[.*' )"); fi
fi
WA=false; [ -f "$R/var/lib/waagent/provisioned" ] && WA=true
LEFT=""; OMIT=0
# Run Command returns only the last 4,096 bytes of output: list leftovers up to ~2 KB, count the rest.
add() { if [ \${#LEFT} -lt ${LEFTOVER_LIST_BYTES} ]; then LEFT="$LEFT\${LEFT:+,}\\"$(s "\${1#"$R/"}")\\""; else OMIT=$((OMIT+1)); fi; }
for f in "$R"/root/.bash_history "$R"/home/*/.bash_history "$R"/root/.ssh/authorized_keys "$R"/root/.ssh/id_* "$R"/home/*/.ssh/id_*; do
  case "$f" in *.pub) continue;; esac
  [ -s "$f" ] && add "$f"
done
for f in "$R"/home/*/.ssh/authorized_keys; do
  [ "$f" = "$R/home/$ADMIN/.ssh/authorized_keys" ] && continue
  [ -s "$f" ] && add "$f"
done
echo "${LINUX_REPORT_MARKER}{\\"hostname\\":\\"$(s "$HOST")\\",\\"machineId\\":\\"$MID\\",\\"hostKeys\\":{$KEYS},\\"regenerateHostKeys\\":\\"$(s "$REGEN")\\",\\"cloudInit\\":\\"$CI\\",\\"cloudInitErrors\\":\\"$CIERR\\",\\"waagentProvisioned\\":$WA,\\"leftovers\\":[$LEFT],\\"leftoversOmitted\\":$OMIT}"
`;
}

/**
 * PowerShell printing {"computerName","machineSid","imageState","leftovers":[...]}: the machine SID is
 * the domain part of the built-in administrator's SID (RID 500), which sysprep regenerates.
 */
export const WINDOWS_CHECK_SCRIPT = `$ErrorActionPreference = 'SilentlyContinue'
$state = (Get-ItemProperty 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Setup\\State').ImageState
$admin = Get-LocalUser | Where-Object { $_.SID.Value -like 'S-1-5-21-*-500' } | Select-Object -First 1
$sid = if ($admin) { $admin.SID.AccountDomainSid.Value } else { '' }
$left = @()
foreach ($p in @('C:\\unattend.xml', 'C:\\Windows\\Panther\\unattend.xml', 'C:\\Windows\\System32\\sysprep\\unattend.xml')) {
  if (Test-Path $p) { $left += $p }
}
Get-ChildItem 'C:\\Users\\*\\AppData\\Roaming\\Microsoft\\Windows\\PowerShell\\PSReadLine\\ConsoleHost_history.txt' |
  ForEach-Object { $left += $_.FullName }
[pscustomobject]@{ computerName = $env:COMPUTERNAME; machineSid = $sid; imageState = $state; leftovers = @($left) } |
  ConvertTo-Json -Compress
`;
