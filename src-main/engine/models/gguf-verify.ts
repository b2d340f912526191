// Checks that a file is a GGUF model llama.cpp can load before the product accepts it: a download is
// renamed into place, and `model use` writes it to config.yaml, only after this passes. It reads the
// whole header (metadata and tensor table) but no tensor data, so it is cheap even for 20 GB files,
// and it catches the usual failures with a reason a person can act on: an HTML error page saved as
// .gguf, an old GGML file, a GGUF version llama.cpp dropped, a garbage header, a cut-short download.
//
// Format: https://github.com/ggml-org/ggml/blob/master/docs/gguf.md
import { open, stat } from 'node:fs/promises';
import { NocturnalError } from '../errors/nocturnal-error';
import { CutShortError, FileCursor } from './file-cursor';
import { tensorByteSize } from './ggml-type-sizes';
import type { GgufFacts } from '../../../src-shared/domain/models';

export type { GgufFacts };

export type GgufProblem = 'not_gguf' | 'unsupported_version' | 'implausible' | 'truncated' | 'unreadable';

export type GgufCheck = { ok: true; facts: GgufFacts } | { ok: false; problem: GgufProblem; reason: string };

/** Bytes checkGgufStart() needs to say something definite. */
export const ggufStartLength = 16;

const magic = Buffer.from('GGUF', 'latin1');
const supportedVersions = new Set([2, 3]);
const maxTensors = 1_000_000n;
const maxMetadata = 100_000n;
const maxStringBytes = 64 * 1024 * 1024;
const maxArrayLength = 100_000_000n;
const maxDims = 8;

// Metadata value types and the byte size of the fixed-size ones.
const enum Value {
  Uint32 = 4,
  String = 8,
  Array = 9,
}
const fixedSizes = new Map<number, number>([
  [0, 1], [1, 1], [2, 2], [3, 2], [4, 4], [5, 4], [6, 4], [7, 1], [10, 8], [11, 8], [12, 8],
]);
const integerTypes = new Set([0, 1, 2, 3, 4, 5, 10, 11]);

/**
 * Judges the first bytes of a would-be GGUF file (at least ggufStartLength of them, or the whole file
 * if it is shorter). Used by the downloader to refuse an error page after a few bytes rather than
 * after the whole body. Returns null when the start looks like a supported GGUF.
 */
export function checkGgufStart(head: Uint8Array): { problem: GgufProblem; reason: string } | null {
  const bytes = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  if (bytes.length >= 4 && bytes.subarray(0, 4).equals(magic)) {
    if (bytes.length < 8) return { problem: 'truncated', reason: `the file is only ${bytes.length} bytes long` };
    return checkVersion(bytes.readUInt32LE(4));
  }
  return { problem: 'not_gguf', reason: describeForeignStart(bytes) };
}

/** Reads and checks the header of `file`; never throws for a bad file, only describes it. */
export async function inspectGguf(file: string): Promise<GgufCheck> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    return { ok: false, problem: 'unreadable', reason: `cannot open it: ${(error as Error).message}` };
  }
  try {
    const size = (await handle.stat()).size;
    const cursor = new FileCursor(handle, size);
    const head = await cursor.bytes(Math.min(ggufStartLength, size));
    const start = checkGgufStart(head);
    if (start) return { ok: false, ...start };
    return await readHeader(cursor, head.readUInt32LE(4), size);
  } catch (error) {
    if (error instanceof CutShortError) {
      return { ok: false, problem: 'truncated', reason: `the header is cut short: ${error.message} (an incomplete download?)` };
    }
    if (error instanceof Implausible) return { ok: false, problem: 'implausible', reason: error.message };
    return { ok: false, problem: 'unreadable', reason: `reading it failed: ${(error as Error).message}` };
  } finally {
    await handle.close();
  }
}

/** inspectGguf() that throws a validation error naming the file and the reason. */
export async function verifyGguf(file: string): Promise<GgufFacts> {
  const check = await inspectGguf(file);
  if (check.ok) return check.facts;
  throw new NocturnalError('validation', `${file} is not a usable GGUF model: ${check.reason}`);
}

/** Whether `file` is a regular file (a directory or a missing path is not a model). */
export async function isRegularFile(file: string): Promise<boolean> {
  return stat(file).then(
    (s) => s.isFile(),
    () => false,
  );
}

class Implausible extends Error {}

async function readHeader(cursor: FileCursor, version: number, fileSize: number): Promise<GgufCheck> {
  cursor.position = 8;
  const tensorCount = await cursor.u64();
  const metadataCount = await cursor.u64();
  if (tensorCount === 0n) throw new Implausible('it contains no tensors (a vocabulary-only file?), so it is not a model');
  if (tensorCount > maxTensors) throw new Implausible(`its header claims ${tensorCount} tensors, which no model has (a damaged header?)`);
  if (metadataCount > maxMetadata) throw new Implausible(`its header claims ${metadataCount} metadata entries (a damaged header?)`);

  let architecture: string | null = null;
  let name: string | null = null;
  let alignment = 32;
  let splitCount = 1;
  const contextLengths = new Map<string, number>();
  for (let i = 0n; i < metadataCount; i++) {
    const key = await readString(cursor, 'a metadata key');
    const type = await cursor.u32();
    if (type === Value.String) {
      const value = await readString(cursor, `metadata "${key}"`);
      if (key === 'general.architecture') architecture = value;
      else if (key === 'general.name') name = value;
      continue;
    }
    if (integerTypes.has(type)) {
      const value = await readInteger(cursor, type);
      if (key === 'general.alignment') {
        if (type !== Value.Uint32 || value === 0 || (value & (value - 1)) !== 0) throw new Implausible(`general.alignment is ${value}; it must be a power of two`);
        alignment = value;
      } else if (key === 'split.count') splitCount = value;
      else if (key.endsWith('.context_length')) contextLengths.set(key, value);
      continue;
    }
    await skipValue(cursor, type, key, 0);
  }

  let dataEnd = 0n;
  for (let i = 0n; i < tensorCount; i++) {
    const tensorName = await readString(cursor, 'a tensor name');
    const dimCount = await cursor.u32();
    if (dimCount === 0 || dimCount > maxDims) throw new Implausible(`tensor "${tensorName}" has ${dimCount} dimensions`);
    const dims: bigint[] = [];
    for (let d = 0; d < dimCount; d++) dims.push(await cursor.u64());
    const type = await cursor.u32();
    const offset = await cursor.u64();
    if (offset % BigInt(alignment) !== 0n) throw new Implausible(`tensor "${tensorName}" starts at offset ${offset}, not a multiple of the alignment ${alignment}`);
    const end = offset + (tensorByteSize(type, dims) ?? 0n);
    if (end > dataEnd) dataEnd = end;
  }
  const dataStart = BigInt(Math.ceil(cursor.position / alignment) * alignment);
  if (dataStart + dataEnd > BigInt(fileSize)) {
    return {
      ok: false,
      problem: 'truncated',
      reason: `its tensors need ${dataStart + dataEnd} bytes but the file has only ${fileSize} (an incomplete download?)`,
    };
  }
  const contextLength = (architecture === null ? undefined : contextLengths.get(`${architecture}.context_length`)) ?? null;
  return {
    ok: true,
    facts: {
      version,
      tensorCount: Number(tensorCount),
      metadataCount: Number(metadataCount),
      architecture,
      name,
      contextLength,
      splitCount,
      fileSize,
    },
  };
}

async function readString(cursor: FileCursor, what: string): Promise<string> {
  const length = await cursor.u64();
  if (length > BigInt(maxStringBytes)) throw new Implausible(`${what} claims to be ${length} bytes long (a damaged header?)`);
  return (await cursor.bytes(Number(length))).toString('utf8');
}

async function readInteger(cursor: FileCursor, type: number): Promise<number> {
  const bytes = await cursor.bytes(fixedSizes.get(type) ?? 0);
  switch (type) {
    case 0:
      return bytes.readUInt8(0);
    case 1:
      return bytes.readInt8(0);
    case 2:
      return bytes.readUInt16LE(0);
    case 3:
      return bytes.readInt16LE(0);
    case 4:
      return bytes.readUInt32LE(0);
    case 5:
      return bytes.readInt32LE(0);
    case 10:
      return Number(bytes.readBigUInt64LE(0));
    default:
      return Number(bytes.readBigInt64LE(0));
  }
}

async function skipValue(cursor: FileCursor, type: number, key: string, depth: number): Promise<void> {
  const fixed = fixedSizes.get(type);
  if (fixed !== undefined) return cursor.skip(fixed);
  if (type === Value.String) {
    await readString(cursor, `metadata "${key}"`);
    return;
  }
  if (type !== Value.Array) throw new Implausible(`metadata "${key}" has unknown value type ${type}`);
  if (depth > 4) throw new Implausible(`metadata "${key}" nests arrays too deeply`);
  const elementType = await cursor.u32();
  const length = await cursor.u64();
  if (length > maxArrayLength) throw new Implausible(`metadata "${key}" claims ${length} elements (a damaged header?)`);
  const elementSize = fixedSizes.get(elementType);
  if (elementSize !== undefined) return cursor.skip(Number(length) * elementSize);
  for (let i = 0n; i < length; i++) await skipValue(cursor, elementType, key, depth + 1);
}

function checkVersion(version: number): { problem: GgufProblem; reason: string } | null {
  if (supportedVersions.has(version)) return null;
  if (version === 1) return { problem: 'unsupported_version', reason: 'it is GGUF version 1 (2023), which llama.cpp no longer loads; download a current conversion' };
  const swapped = ((version & 0xff) << 24) | ((version & 0xff00) << 8) | ((version >>> 8) & 0xff00) | (version >>> 24);
  if (supportedVersions.has(swapped >>> 0)) return { problem: 'unsupported_version', reason: 'it is a big-endian GGUF; this machine needs the little-endian file' };
  return { problem: 'unsupported_version', reason: `it is GGUF version ${version}; versions 2 and 3 are supported` };
}

function describeForeignStart(bytes: Buffer): string {
  if (bytes.length === 0) return 'the file is empty';
  const text = bytes.toString('latin1');
  const trimmed = text.trimStart();
  if (trimmed.startsWith('<')) return 'it looks like an HTML or XML page (an error or sign-in page?), not a model';
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return 'it looks like JSON (an API error message?), not a model';
  if (['tjgg', 'fmgg', 'lmgg'].includes(text.slice(0, 4))) {
    return 'it is an old GGML/GGJT file from before GGUF, which llama.cpp no longer loads; download a GGUF conversion';
  }
  if (text.startsWith('PK\u0003\u0004')) return 'it is a ZIP archive (a PyTorch checkpoint?), not a GGUF model';
  if (bytes.length > 8 && bytes[8] === 0x7b) return 'it looks like a safetensors file; download a GGUF conversion instead';
  return `it does not start with the GGUF magic (first bytes: ${bytes.subarray(0, 8).toString('hex')})`;
}
