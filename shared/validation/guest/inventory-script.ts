import { INVENTORY_MARKER } from '../../inventory/guest-inventory';

/**
 * Byte budgets of the inventory line. Run Command keeps the last 4,096 bytes of stdout AND, apart,
 * the last 4,096 bytes of stderr: the Linux handler tails each file with maxTailLen = 4 * 1024 and
 * reports "[stdout]\n<tail>\n[stderr]\n<tail>" (Azure/custom-script-extension-linux main/cmds.go,
 * which the RunCommand Linux handler is built from; "Run scripts in your Linux VM by using action Run
 * Commands", Restrictions: output limited to the last 4,096 bytes). The check report owns stdout;
 * the inventory is ONE line printed last on stderr, so its tail holds it whole whatever was written
 * to stderr before. Budgets (sum < 4,096 with the fixed fields): a gzip+base64 package list (a
 * debootstrap'ed Debian 12 with cloud-init, 185 packages, is 2,508 bytes) and capped service and
 * port lists. A list over budget is dropped for its digest and count: the diff then says that only
 * digests could be compared, never guesses. We chose this over managed Run Command's outputBlobUri
 * (a storage blob the VM writes through a SAS or its managed identity) because it keeps the same
 * single action Run Command, no blob, SAS or role for the validation VMs, nothing more to delete.
 */
export const PACKAGE_LIST_BYTES = 2900;
export const SERVICE_LIST_BYTES = 500;
export const PORT_LIST_BYTES = 200;

/**
 * Bash (after the check script's s() and h() helpers): OS release and kernel; installed packages
 * (dpkg-query, else rpm) as a sorted "name=version" list, its sha256 prefix, count and gzip+base64
 * form; enabled services = units symlinked into /etc/systemd/system/*.wants, which is what
 * `systemctl enable` creates (systemctl(1)); listening sockets from ss -ltnH / -lunH, loopback
 * excluded; boot time from systemd-analyze when systemd is PID 1, else cloud-init's own stage
 * timings in /var/lib/cloud/data/status.json (first start to last finished).
 */
export const LINUX_INVENTORY_SCRIPT = String.raw`gg_inventory() {
  local OS KERNEL MGR=none PKGS="" PCOUNT=0 PDIG="" PLIST="" SVCS="" SOMIT=0 PORTS="" BSRC=none BSEC="" CISEC="" l p
  OS=$(grep -E '^PRETTY_NAME=' /etc/os-release 2>/dev/null | head -n1 | cut -d= -f2- | tr -d '"')
  KERNEL=$(uname -r 2>/dev/null)
  if command -v dpkg-query >/dev/null 2>&1 && [ -s /var/lib/dpkg/status ]; then
    MGR=dpkg
    PKGS=$(dpkg-query --admindir=/var/lib/dpkg -W -f='${'${db:Status-Abbrev}|${Package}=${Version}'}\n' 2>/dev/null | sed -n 's/^ii *|//p' | LC_ALL=C sort -u)
  elif command -v rpm >/dev/null 2>&1; then
    MGR=rpm
    PKGS=$(rpm -qa --qf '%{NAME}=%{VERSION}-%{RELEASE}\n' 2>/dev/null | LC_ALL=C sort -u)
  fi
  if [ -n "$PKGS" ]; then
    PCOUNT=$(printf '%s\n' "$PKGS" | grep -c .)
    PDIG=$(printf '%s\n' "$PKGS" | sha256sum | cut -c1-16)
    PLIST=$(printf '%s\n' "$PKGS" | gzip -9n | base64 -w0)
    [ ${'${#PLIST}'} -gt ${PACKAGE_LIST_BYTES} ] && PLIST=""
  fi
  # One pipeline, no process per unit: names cut to unit characters, listed up to the budget, the rest counted.
  SVCS=$(for l in /etc/systemd/system/*.wants/*.service; do { [ -e "$l" ] || [ -L "$l" ]; } && l=${'${l##*/}'} && echo "${'${l%.service}'}"; done |
    LC_ALL=C sort -u | tr -cd 'A-Za-z0-9:_.@\n-' |
    awk -v max=${SERVICE_LIST_BYTES} 'NF { if (length(out) < max) out = out (out == "" ? "" : ",") "\"" $0 "\""; else omit++ } END { print out; print omit + 0 }')
  SOMIT=$(printf '%s\n' "$SVCS" | tail -n1)
  SVCS=$(printf '%s\n' "$SVCS" | head -n1)
  for p in $({ ss -ltnH 2>/dev/null | awk '{print "tcp", $4}'; ss -lunH 2>/dev/null | awk '{print "udp", $4}'; } |
      awk '{ port = $2; sub(/.*:/, "", port); host = $2; sub(/:[^:]*$/, "", host)
             if (host ~ /^(127\.|\[::1\]|::1$|\[::ffff:127\.)/) next
             if (port ~ /^[0-9]+$/) print $1 "/" port }' | LC_ALL=C sort -u); do
    [ ${'${#PORTS}'} -lt ${PORT_LIST_BYTES} ] && PORTS="$PORTS${'${PORTS:+,}'}\"$p\""
  done
  if [ "$(cat /proc/1/comm 2>/dev/null)" = systemd ]; then
    BSEC=$(systemd-analyze time 2>/dev/null | grep -m1 '^Startup finished' | sed 's/.*= //' |
      awk '{ t = 0; for (i = 1; i <= NF; i++) { v = $i; if (v ~ /min$/) t += v * 60; else if (v ~ /ms$/) t += v / 1000; else if (v ~ /s$/) t += v + 0; else if (v ~ /h$/) t += v * 3600 } if (t > 0) printf "%.2f", t }')
    [ -n "$BSEC" ] && BSRC=systemd-analyze
  fi
  CISEC=$(grep -oE '"(start|finished)": *[0-9.]+' /var/lib/cloud/data/status.json 2>/dev/null |
    awk -F': *' '$1 ~ /start/ { if (s == "" || $2 + 0 < s) s = $2 + 0 } $1 ~ /finished/ { if ($2 + 0 > f) f = $2 + 0 } END { if (s != "" && f > s) printf "%.2f", f - s }')
  if [ -z "$BSEC" ] && [ -n "$CISEC" ]; then BSEC=$CISEC; BSRC=cloud-init; fi
  echo "${INVENTORY_MARKER}{\"os\":\"$(s "$OS")\",\"kernel\":\"$(s "$KERNEL")\",\"pkgManager\":\"$MGR\",\"pkgCount\":$PCOUNT,\"pkgDigest\":\"$PDIG\",\"pkgList\":\"$PLIST\",\"services\":[$SVCS],\"servicesOmitted\":$SOMIT,\"ports\":[$PORTS],\"bootSource\":\"$BSRC\",\"bootSeconds\":${'${BSEC:-null}'},\"cloudInitSeconds\":${'${CISEC:-null}'}}" >&2
}`;
