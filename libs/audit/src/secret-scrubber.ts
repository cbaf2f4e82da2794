/** Field names whose values must never reach the audit log (defence in depth: callers pass safe snapshots). */
const SECRET_FIELD = /secret|password|passphrase|private_?key|pfx|keymaterial|hash$/i;
/** Names of references to a secret, not the secret itself (`secretId`, `secretHint`): kept so the log says which one. */
const SECRET_REFERENCE = /(id|ids|hint)$/i;

/** A deep copy of `value` with every secret-looking field replaced by `"[redacted]"`. */
export function scrubSecrets(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(scrubSecrets);
  if (typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      copy[key] = SECRET_FIELD.test(key) && !SECRET_REFERENCE.test(key) ? '[redacted]' : scrubSecrets(inner);
    }
    return copy;
  }
  return value;
}
