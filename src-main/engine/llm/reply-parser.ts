// Turns a model's reply text into a validated protocol value, or an invalid_output LlmError whose
// message names the schema and the first problems by path, so that a repair turn (and a person reading
// the log) can see exactly what was wrong.
import type { z } from 'zod';
import { LlmError } from './llm-error';
import type { StructuredSchema } from './protocol';

const maxIssuesShown = 5;

export function parseStructuredReply<T>(schema: StructuredSchema<T>, text: string): T {
  const json = extractJson(text);
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new LlmError(
      'invalid_output',
      `the model's reply did not match ${schema.name}: it is not valid JSON (${detail}); reply starts ${preview(text)}`,
      { cause: error },
    );
  }
  const result = schema.parse.safeParse(data);
  if (!result.success) {
    throw new LlmError(
      'invalid_output',
      `the model's reply did not match ${schema.name}: ${formatZodIssues(result.error.issues)}`,
      { cause: result.error },
    );
  }
  return result.data;
}

/** `edits[0].path: expected string, received undefined; score: too big…` */
export function formatZodIssues(issues: readonly z.core.$ZodIssue[]): string {
  const shown = issues.slice(0, maxIssuesShown).map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
  const more = issues.length > maxIssuesShown ? ` (and ${issues.length - maxIssuesShown} more)` : '';
  return shown.join('; ') + more;
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`)).join('');
}

// Servers in json_object mode (and chatty models) sometimes wrap the object in a Markdown fence or a
// sentence; take the outermost {...} rather than failing on the wrapping.
function extractJson(text: string): string {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) return trimmed;
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(trimmed);
  if (fenced?.[1] !== undefined) return fenced[1].trim();
  const start = trimmed.indexOf('{');
  const end = trimmed.lastIndexOf('}');
  return start >= 0 && end > start ? trimmed.slice(start, end + 1) : trimmed;
}

function preview(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine === '' ? '(empty reply)' : JSON.stringify(oneLine.length > 80 ? `${oneLine.slice(0, 80)}…` : oneLine);
}
