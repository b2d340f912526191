import { randomBytes } from 'node:crypto';

// Short, typeable ids: people copy them from reports into `approve`/`retry`. Crockford-like alphabet
// without look-alikes; 8 characters give ~10^12 values, plenty for one person's queue.
const alphabet = '23456789abcdefghjkmnpqrstuvwxyz';

export function newId(prefix: string, length = 8): string {
  const bytes = randomBytes(length);
  let out = prefix;
  for (const byte of bytes) out += alphabet[byte % alphabet.length];
  return out;
}

export function attemptId(taskId: string, number: number): string {
  return `${taskId}-${number}`;
}
