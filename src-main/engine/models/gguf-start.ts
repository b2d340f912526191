// Our check on top of node-llama-cpp's GGUF reader: judge the first bytes of a would-be model file, so
// that a download that turns out to be an error page, JSON, an old GGML file or a PyTorch checkpoint is
// refused after 16 bytes with a reason a person can act on, not after gigabytes with a parser error.
export type GgufProblem = 'not_gguf' | 'unsupported_version' | 'truncated';

/** Bytes checkGgufStart() needs to say something definite. */
export const ggufStartLength = 16;

const magic = Buffer.from('GGUF', 'latin1');
const supportedVersions = new Set([2, 3]);

/** Null when the start looks like a GGUF llama.cpp loads; otherwise what it looks like instead. */
export function checkGgufStart(head: Uint8Array): { problem: GgufProblem; reason: string } | null {
  const bytes = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  if (bytes.length >= 4 && bytes.subarray(0, 4).equals(magic)) {
    if (bytes.length < 8) return { problem: 'truncated', reason: `the file is only ${bytes.length} bytes long` };
    return checkVersion(bytes.readUInt32LE(4));
  }
  return { problem: 'not_gguf', reason: describeForeignStart(bytes) };
}

function checkVersion(version: number): { problem: GgufProblem; reason: string } | null {
  if (supportedVersions.has(version)) return null;
  if (version === 1)
    return {
      problem: 'unsupported_version',
      reason: 'it is GGUF version 1 (2023), which llama.cpp no longer loads; download a current conversion',
    };
  const swapped = ((version & 0xff) << 24) | ((version & 0xff00) << 8) | ((version >>> 8) & 0xff00) | (version >>> 24);
  if (supportedVersions.has(swapped >>> 0))
    return {
      problem: 'unsupported_version',
      reason: 'it is a big-endian GGUF; this machine needs the little-endian file',
    };
  return { problem: 'unsupported_version', reason: `it is GGUF version ${version}; versions 2 and 3 are supported` };
}

function describeForeignStart(bytes: Buffer): string {
  if (bytes.length === 0) return 'the file is empty';
  const text = bytes.toString('latin1');
  const trimmed = text.trimStart();
  if (trimmed.startsWith('<')) return 'it looks like an HTML or XML page (an error or sign-in page?), not a model';
  if (trimmed.startsWith('{') || trimmed.startsWith('['))
    return 'it looks like JSON (an API error message?), not a model';
  if (['tjgg', 'fmgg', 'lmgg'].includes(text.slice(0, 4))) {
    return 'it is an old GGML/GGJT file from before GGUF, which llama.cpp no longer loads; download a GGUF conversion';
  }
  if (text.startsWith('PK\u0003\u0004')) return 'it is a ZIP archive (a PyTorch checkpoint?), not a GGUF model';
  if (bytes.length > 8 && bytes[8] === 0x7b)
    return 'it looks like a safetensors file; download a GGUF conversion instead';
  return `it does not start with the GGUF magic (first bytes: ${bytes.subarray(0, 8).toString('hex')})`;
}
