/**
 * Matches a request path against a Functions route template such as "events/eventgrid" or
 * "runs/{runId}" / "runs/{runId?}" (case-insensitive, like the host). Returns route params or undefined.
 */
export function matchRoute(template: string, path: string): Record<string, string> | undefined {
  const want = template.split('/').filter((s) => s.length > 0);
  const have = path.split('/').filter((s) => s.length > 0);
  const params: Record<string, string> = {};
  for (let i = 0; i < Math.max(want.length, have.length); i++) {
    const segment = want[i];
    const actual = have[i];
    if (segment === undefined) return undefined;
    const param = /^\{([A-Za-z_][A-Za-z0-9_]*)(?::[^}?]*)?(\?)?\}$/.exec(segment);
    if (param !== null) {
      const [, name = '', optional] = param;
      if (actual === undefined) {
        if (optional === '?') continue;
        return undefined;
      }
      params[name] = decodeURIComponent(actual);
      continue;
    }
    if (actual === undefined || actual.toLowerCase() !== segment.toLowerCase()) return undefined;
  }
  return params;
}
