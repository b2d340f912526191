// Parses what a person typed with a schema from src-shared, turning the first problem into a usage
// error (exit 2) that names the argument or option it came from.
import type { z } from 'zod';
import { NocturnalError } from './nocturnal-error';

export function parseInput<S extends z.ZodType>(schema: S, value: unknown, argument: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new NocturnalError('usage', `${argument}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
}
