import type { OwnerCheckScript } from '../../config';
import { runCommandStdout } from './guest-report';
import type { CheckResult } from '../../verdict/verdict';
import { excerpt } from '../../verdict/excerpt';

const EXIT_MARKER = 'GGEXIT=';

/**
 * Wraps an owner's check script so its exit code survives Run Command (whose output is only the last
 * 4 KB of stdout/stderr): the script's own output is cut to its tail, then the marker line.
 */
export function wrapOwnerScript(check: OwnerCheckScript): string {
  if (check.osType === 'Linux') {
    return `( ${check.script}\n) 2>&1 | tail -c 2000\necho "${EXIT_MARKER}\${PIPESTATUS[0]}"\n`;
  }
  return `$out = & { ${check.script}\n} 2>&1 | Select-Object -Last 20\n$code = if ($?) { if ($LASTEXITCODE) { $LASTEXITCODE } else { 0 } } else { 1 }\n$out\n"${EXIT_MARKER}$code"\n`;
}

/** Exit 0 passes; anything else fails with the script's last output line as evidence. */
export function ownerScriptCheck(
  name: string,
  message: string,
  at: { readonly region: string; readonly vmName: string },
): CheckResult {
  const lines = runCommandStdout(message)
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  const exitLine = lines.findIndex((l) => l.startsWith(EXIT_MARKER));
  const checkName = `owner-script:${name}`;
  if (exitLine < 0) {
    return {
      name: checkName,
      status: 'Inconclusive',
      reason: 'the owner check script reported no exit code',
      ...at,
    };
  }
  const code = Number(lines[exitLine]!.slice(EXIT_MARKER.length));
  const line = lines[exitLine - 1];
  const evidence = line === undefined ? undefined : excerpt(line, 300);
  return code === 0
    ? { name: checkName, status: 'Passed', reason: 'the owner check script exited 0', ...at }
    : {
        name: checkName,
        status: 'Failed',
        reason: `the owner check script exited ${Number.isFinite(code) ? code : lines[exitLine]}`,
        evidence,
        ...at,
      };
}
