// Secret redaction for everything that reaches a log line or a prompt. Two layers: structured paths
// (pino's redact for known field names) and a pattern pass over free text, because secrets most often
// leak inside messages and command output, not in neatly named fields.

export const redactedFieldPaths = [
  'apiKey',
  'api_key',
  'token',
  'password',
  'secret',
  'authorization',
  'Authorization',
  '*.apiKey',
  '*.api_key',
  '*.token',
  '*.password',
  '*.secret',
  '*.authorization',
  '*.Authorization',
  'headers.authorization',
  'headers.Authorization',
  '*.headers.authorization',
  '*.headers.Authorization',
];

export const REDACTED = '[REDACTED]';

const secretPatterns: RegExp[] = [
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g,
  /\bsk-[A-Za-z0-9_-]{16,}/g,
  /\bgh[pousr]_[A-Za-z0-9]{20,}/g,
  /\bgithub_pat_[A-Za-z0-9_]{20,}/g,
  /\bhf_[A-Za-z0-9]{20,}/g,
  /\bxox[abpr]-[A-Za-z0-9-]{10,}/g,
  /\bAKIA[0-9A-Z]{16}\b/g,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
  /\b((?:api[_-]?key|token|secret|password|passwd)\s*[=:]\s*)(?:"[^"\n]{4,}"|'[^'\n]{4,}'|[^\s"']{6,})/gi,
];

/** Replaces anything that looks like a credential in free text. */
export function redactText(text: string): string {
  let out = text;
  for (const pattern of secretPatterns) {
    out = out.replace(pattern, (match: string, ...groups: unknown[]) => {
      const prefix = typeof groups[0] === 'string' && /[=:]\s*$/.test(groups[0]) ? groups[0] : '';
      if (prefix) return `${prefix}${REDACTED}`;
      const scheme = /^(Bearer|Basic)\s/.exec(match);
      return scheme ? `${scheme[1]} ${REDACTED}` : REDACTED;
    });
  }
  return out;
}

/** Field names whose value is a secret whatever it looks like (the structured layer, for any object). */
const secretFieldName =
  /^(api[_-]?key|token|access[_-]?token|refresh[_-]?token|password|passwd|secret|client[_-]?secret|authorization|cookie|set-cookie)$/i;

/**
 * Redaction with the secrets this engine actually holds: the patterns above, plus the exact values of
 * configured secrets (the API key named by `llm.api_key_env`) — a server that echoes the key back in an
 * error message produces text no pattern recognises. Used for log lines, stored records, printed
 * output and prompts bound for a remote server.
 */
export interface Redactor {
  text(text: string): string;
  /** Only the configured secret values, for the user's own words (task text), which patterns could mangle. */
  secrets(text: string): string;
  /** Strings anywhere inside, recursively; secret-named fields replaced whole. Returns a copy. */
  value<T>(value: T): T;
  /** Adds a secret value learnt later (the CLI reads the config after its output streams exist). */
  addSecret(value: string | undefined): void;
}

/** Shorter values would mangle ordinary text; no real API key is this short. */
const MIN_SECRET_LENGTH = 6;

export function createRedactor(initialSecrets: readonly (string | undefined)[] = []): Redactor {
  const secrets = new Set<string>();
  const addSecret = (value: string | undefined) => {
    if (value !== undefined && value.trim().length >= MIN_SECRET_LENGTH) secrets.add(value.trim());
  };
  for (const value of initialSecrets) addSecret(value);
  const secretValues = (input: string): string => {
    let out = input;
    for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out;
  };
  const text = (input: string): string => redactText(secretValues(input));
  const value = <T>(input: T, depth = 0): T => {
    if (typeof input === 'string') return text(input) as T;
    if (input === null || typeof input !== 'object' || depth > 20) return input;
    if (input instanceof Error)
      return {
        type: input.name,
        message: text(input.message),
        ...(input.stack ? { stack: text(input.stack) } : {}),
      } as T;
    if (Array.isArray(input)) return input.map((item: unknown) => value(item, depth + 1)) as T;
    if (Object.getPrototypeOf(input) !== Object.prototype && Object.getPrototypeOf(input) !== null) return input;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(input))
      out[key] = secretFieldName.test(key) && item !== null && item !== undefined ? REDACTED : value(item, depth + 1);
    return out as T;
  };
  return { text, secrets: secretValues, value: (input) => value(input), addSecret };
}

/** The secret values the configuration points at: today the API key named by `llm.api_key_env`. */
export function configuredSecrets(
  llm: { api_key_env: string | null },
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  const value = llm.api_key_env === null ? undefined : env[llm.api_key_env];
  return value === undefined || value === '' ? [] : [value];
}
