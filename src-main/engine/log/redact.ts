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
