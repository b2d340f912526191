// One-line, field-named descriptions of zod failures for API error messages.
import type { z } from 'zod';

export function describeIssues(error: z.ZodError, subject: string): string {
  const parts = error.issues.map((issue) => {
    const where = issue.path.length > 0 ? issue.path.map(String).join('.') : subject;
    return `${where}: ${issue.message}`;
  });
  return parts.join('; ');
}
