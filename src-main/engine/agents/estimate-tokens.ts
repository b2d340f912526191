// The token estimate every context part is fitted with: an estimate (code runs about 3.5 characters a
// token); the provider's own guard counts exactly before the call.
const CHARS_PER_TOKEN = 3.5;

export function estimateTokens(text: string): number {
  return estimateTokensOfLength(text.length);
}

/** The estimate of a text of `length` characters: a text that is only measured need not be built. */
export function estimateTokensOfLength(length: number): number {
  return Math.ceil(length / CHARS_PER_TOKEN);
}
