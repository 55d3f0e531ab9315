import { VALIDATION_KEY_COMMENT } from '../vm/ephemeral-credentials';
import { LINUX_INVENTORY_SCRIPT } from './inventory-script';

/**
 * In-guest check scripts run through Run Command. Each prints ONE compact JSON line so the result fits
 * in Run Command's 4 KB output window; identities are hashed rather than printed.
 */

export const LINUX_REPORT_MARKER = 'GGCHECK ';

const SAFE_USER = /^[a-z_][a-z0-9_-]{0,31}$/;

/**
 * Leftover paths are listed until the list reaches this many bytes, the rest only counted: with the
 * other fields (at most ~700 bytes) the report line stays well inside Run Command's 4,096-byte output
 * ("Run scripts in your Linux VM by using action Run Commands", Restrictions), whatever the guest holds.
 */
export const LEFTOVER_LIST_BYTES = 2000;

/**
 * Bash function `gg_root_key_leftovers ROOT_KEYS ADMIN_KEYS`: prints one line per entry of root's
 * authorized_keys that lets someone log in as root. Not counted:
 *  - cloud-init's disable_root entry. With disable_root true (the Debian and Ubuntu default) cloud-init
 *    writes every provisioned key to root's file behind a forced command that only says "Please login
 *    as the user ... rather than the user root" and exits 142, on every first boot
 *    (cloudinit/ssh_util.py DISABLE_USER_OPTS; older releases end at "sleep 10" without the exit).
 *  - the key gallery-guard injected for its admin user (ADMIN_KEYS lines ending in our key comment),
 *    which an image with disable_root false gets in root's file as is.
 * Any other key is someone's way in that the image carries.
 */
export const ROOT_KEY_LEFTOVERS_FUNCTION = String.raw`gg_root_key_leftovers() {
  local line blob ours
  local disabled='^no-port-forwarding,no-agent-forwarding,no-X11-forwarding,command="echo .Please login as the user \\"[^"\\]+\\" rather than the user \\"root\\"\..;echo;sleep 10(;exit 142)?" '
  [ -s "$1" ] || return 0
  ours=$(grep -E " ${VALIDATION_KEY_COMMENT}\$" "$2" 2>/dev/null | awk '{ for (i = 1; i < NF; i++) if ($i ~ /^(ssh-|ecdsa-|sk-)/) { print $(i + 1); next } }')
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in '' | '#'*) continue ;; esac
    [[ $line =~ $disabled ]] && continue
    blob=$(printf '%s\n' "$line" | awk '{ for (i = 1; i < NF; i++) if ($i ~ /^(ssh-|ecdsa-|sk-)/) { print $(i + 1); exit } }')
    if [ -n "$blob" ] && [ -n "$ours" ] && printf '%s\n' "$ours" | grep -qxF -- "$blob"; then continue; fi
    echo leftover
  done < "$1"
}`;

/**
 * Bash script reporting provisioning, hostname, host keys, machine-id and leftover secrets on stdout,
 * and (unless `inventory` is false) the guest's inventory as the last line of stderr.
 */
export function linuxCheckScript(
  adminUsername: string,
  options: { readonly inventory?: boolean } = {},
): string {
  const inventory = options.inventory ?? true;
  if (!SAFE_USER.test(adminUsername)) throw new Error(`Unsafe admin user name "${adminUsername}"`);
  return `#!/bin/bash
ADMIN='${adminUsername}'
h() { if [ -s "$1" ]; then sha256sum "$1" | cut -c1-16; fi; }
s() { printf '%s' "$1" | tr -d '"\\\\' | tr -d '\\000-\\037' | cut -c1-200; }
${ROOT_KEY_LEFTOVERS_FUNCTION}
${inventory ? LINUX_INVENTORY_SCRIPT : ''}
HOST=$(hostname)
MID=$(h /etc/machine-id)
KEYS=""
for t in ed25519 rsa ecdsa; do
  v=$(h "/etc/ssh/ssh_host_\${t}_key.pub")
  [ -n "$v" ] && KEYS="$KEYS\${KEYS:+,}\\"$t\\":\\"$v\\""
done
REGEN=$(grep -E '^Provisioning.RegenerateSshHostKeyPair=' /etc/waagent.conf 2>/dev/null | cut -d= -f2 | tr -d ' ')
CI="absent"; CIERR=""
if [ -f /var/lib/cloud/data/result.json ]; then
  # One line, whitespace squeezed: cloud-init's own error text stays readable as evidence.
  FLAT=$(tr '\\n\\r\\t' '   ' < /var/lib/cloud/data/result.json | tr -s ' ')
  if printf '%s' "$FLAT" | grep -q '"errors": *\\[ *\\]'; then CI="ok"; else CI="errors"; CIERR=$(s "$(printf '%s' "$FLAT" | grep -o '"errors": *\\[.*\\]')"); fi
fi
WA=false; [ -f /var/lib/waagent/provisioned ] && WA=true
LEFT=""; OMIT=0
# Run Command returns only the last 4,096 bytes of output: list leftovers up to ~2 KB, count the rest.
add() { if [ \${#LEFT} -lt ${LEFTOVER_LIST_BYTES} ]; then LEFT="$LEFT\${LEFT:+,}\\"$(s "\${1#/}")\\""; else OMIT=$((OMIT+1)); fi; }
for f in /root/.bash_history /home/*/.bash_history /root/.ssh/id_* /home/*/.ssh/id_*; do
  case "$f" in *.pub) continue;; esac
  [ -s "$f" ] && add "$f"
done
[ -n "$(gg_root_key_leftovers /root/.ssh/authorized_keys "/home/$ADMIN/.ssh/authorized_keys")" ] && add /root/.ssh/authorized_keys
for f in /home/*/.ssh/authorized_keys; do
  [ "$f" = "/home/$ADMIN/.ssh/authorized_keys" ] && continue
  [ -s "$f" ] && add "$f"
done
echo "${LINUX_REPORT_MARKER}{\\"hostname\\":\\"$(s "$HOST")\\",\\"machineId\\":\\"$MID\\",\\"hostKeys\\":{$KEYS},\\"regenerateHostKeys\\":\\"$(s "$REGEN")\\",\\"cloudInit\\":\\"$CI\\",\\"cloudInitErrors\\":\\"$CIERR\\",\\"waagentProvisioned\\":$WA,\\"leftovers\\":[$LEFT],\\"leftoversOmitted\\":$OMIT}"
${inventory ? 'gg_inventory\n' : ''}`;
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
