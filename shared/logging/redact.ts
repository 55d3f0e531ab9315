// Field names whose values must never reach a log line, whatever the caller passes.
const SECRET_FIELD = /pass(word)?|secret|token|key$|routingkey|webhook|sig|credential|authorization/i;
// Values that look like secrets inside free text: SAS signatures, bearer tokens, URL query codes.
const SECRET_TEXT = /((?:sig|code|key|token|password)=)[^&\s"]+|(Bearer\s+)[A-Za-z0-9._~+/-]+=*/gi;

/**
 * The redaction rules every log line goes through: secret-looking field names lose their value
 * (`...Id` fields stay: ids are not secrets), secret-looking text inside strings is masked, errors
 * keep only name and message.
 */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.replace(SECRET_TEXT, '$1$2[redacted]');
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { name: value.name, message: redact(value.message, depth + 1) };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_FIELD.test(k) && !/Id$/.test(k) ? '[redacted]' : redact(v, depth + 1);
  }
  return out;
}
