// SentencePiece vocabularies carry 256 byte-fallback tokens (<0x00>…<0xFF>). Bytes 0x80–0xFF are only
// valid as parts of a multi-byte UTF-8 sequence; sampled on their own they produce text that is not
// valid UTF-8 (a random-weight model does this constantly, DESIGN §11). We never let the model pick
// them; characters the vocabulary lacks as whole tokens are then unavailable, which costs a code
// generator nothing but exotic symbols.
import { TokenBias } from 'node-llama-cpp';
import type { LlamaModel, Token } from 'node-llama-cpp';

const byteTokenText = /^<0x([0-9A-Fa-f]{2})>$/;

/** Token ids of byte-fallback tokens for bytes that are not valid standalone UTF-8. */
export function partialUtf8ByteTokens(model: LlamaModel): Token[] {
  const texts: unknown = model.fileInfo.metadata.tokenizer.ggml.tokens;
  if (!Array.isArray(texts)) return [];
  const found: Token[] = [];
  for (const token of model.iterateAllTokens()) {
    const match = byteTokenText.exec(String(texts[token]));
    if (match?.[1] === undefined || Number.parseInt(match[1], 16) < 0x80) continue;
    if (model.getTokenAttributes(token).byte) found.push(token);
  }
  return found;
}

export function partialUtf8ByteBias(model: LlamaModel): TokenBias | undefined {
  const tokens = partialUtf8ByteTokens(model);
  if (tokens.length === 0) return undefined;
  const bias = new TokenBias(model.tokenizer);
  for (const token of tokens) bias.set(token, 'never');
  return bias;
}
