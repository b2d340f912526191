// The token estimate every context part is fitted with: an estimate (code runs about 3.5 characters a
// token); the provider's own guard counts exactly before the call.
const CHARS_PER_TOKEN = 3.5;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}
