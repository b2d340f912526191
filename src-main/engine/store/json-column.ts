// JSON columns are written by this process only, but a file on disk can still be edited or damaged:
// a column that does not parse is reported with its table and row, never turned into a default.
import { NocturnalError } from '../errors/nocturnal-error';

/**
 * `column` is `table.column` and `rowId` the row's id: the place is named only when the text does not
 * parse, so reading 10,000 rows builds no message strings (reads are on the scale benchmark's path).
 */
export function readJson<T>(text: string | null, column: string, rowId: string | number): T | null {
  if (text === null) return null;
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new NocturnalError('runtime', `damaged JSON in the database at ${column} (${rowId})`, { cause: error });
  }
}

export function writeJson(value: unknown): string {
  return JSON.stringify(value);
}
