// JSON columns are written by this process only, but a file on disk can still be edited or damaged:
// a column that does not parse is reported with its table and row, never turned into a default.
import { NocturnalError } from '../errors/nocturnal-error';

export function readJson<T>(text: string | null, where: string): T | null {
  if (text === null) return null;
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new NocturnalError('runtime', `damaged JSON in the database at ${where}`, { cause: error });
  }
}

export function writeJson(value: unknown): string {
  return JSON.stringify(value);
}
