// What the product learns from a GGUF file before it accepts it (a download is moved into the models
// folder, and `model use` writes it to config.yaml, only after this passes). The header is read by
// node-llama-cpp's own reader (`readGgufFileInfo`, which also splices the parts of a split model);
// on top of it come the checks that give a person a reason to act on: the first bytes judged first
// (an HTML error page saved as .gguf), a missing part of a split model, a file with no tensors, and
// tensor data that is not there (a cut-short copy).
import { importNodeLlamaCpp } from '../llm/node-llama-cpp';
import { open, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { GgufFileInfo } from 'node-llama-cpp';
import { NocturnalError } from '../errors/nocturnal-error';
import { checkGgufStart, ggufStartLength } from './gguf-start';
import type { GgufFacts } from '../../../src-shared/domain/models';

export type { GgufFacts };

export type GgufCheck = { ok: true; facts: GgufFacts; info: GgufFileInfo } | { ok: false; reason: string };

// llama.cpp's gguf-split naming: NAME-00001-of-00003.gguf.
const splitName = /^(.*)-(\d{5})-of-(\d{5})\.gguf$/i;

/** The files of a model: the parts of a split model (from its first part's name), else the file itself. */
export function modelFileParts(file: string): string[] {
  const match = splitName.exec(basename(file));
  if (!match?.[1] || !match[3]) return [file];
  const count = Number(match[3]);
  return Array.from({ length: count }, (_, i) =>
    join(dirname(file), `${match[1]}-${String(i + 1).padStart(5, '0')}-of-${match[3]}.gguf`),
  );
}

/** Whether a file name is a later part (2..N) of a split model, which is never loaded by itself. */
export function isLaterSplitPart(fileName: string): boolean {
  const match = splitName.exec(fileName);
  return match?.[2] !== undefined && Number(match[2]) > 1;
}

/** Reads and checks a model file (the first part of a split one); never throws for a bad file. */
export async function inspectModelFile(file: string): Promise<GgufCheck> {
  const parts = modelFileParts(file);
  const sizes: number[] = [];
  for (const part of parts) {
    const info = await stat(part).catch(() => undefined);
    if (info === undefined) {
      return {
        ok: false,
        reason: part === file ? 'the file does not exist' : `part ${basename(part)} of the split model is missing`,
      };
    }
    if (!info.isFile()) return { ok: false, reason: `${part} is not a file` };
    sizes.push(info.size);
  }
  for (const part of parts) {
    const start = checkGgufStart(await readHead(part));
    if (start) return { ok: false, reason: parts.length > 1 ? `${basename(part)}: ${start.reason}` : start.reason };
  }
  let info: GgufFileInfo;
  try {
    // Imported on use: node-llama-cpp is heavy and most commands never read a model's header.
    const { readGgufFileInfo } = await importNodeLlamaCpp();
    info = await readGgufFileInfo(file, {
      sourceType: 'filesystem',
      logWarnings: false,
      ignoreKeys: ['tokenizer.ggml.merges'],
    });
  } catch (error) {
    return { ok: false, reason: `its header cannot be read (${(error as Error).message}); an incomplete download?` };
  }
  const tensors = info.fullTensorInfo ?? info.tensorInfo ?? [];
  if (tensors.length === 0)
    return { ok: false, reason: 'it contains no tensors (a vocabulary-only file?), so it is not a model' };
  // Each part must at least reach the start of its last tensor; a cut-short copy does not.
  for (const [index, size] of sizes.entries()) {
    const lastStart = tensors
      .filter((t) => t.filePart === index + 1)
      .reduce((max, t) => Math.max(max, Number(t.fileOffset)), 0);
    if (lastStart >= size) {
      return {
        ok: false,
        reason: `its tensor data needs more than the ${size} bytes of ${basename(parts[index] ?? file)} (an incomplete download?)`,
      };
    }
  }
  return { ok: true, info, facts: factsOf(info, sizes) };
}

/** inspectModelFile() that throws a validation error naming the file and the reason. */
export async function readModelFacts(file: string): Promise<GgufFacts> {
  const check = await inspectModelFile(file);
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

function factsOf(info: GgufFileInfo, sizes: number[]): GgufFacts {
  const architecture = info.metadata.general.architecture ?? null;
  const contextLength = (info.architectureMetadata as { context_length?: number } | undefined)?.context_length ?? null;
  return {
    version: info.version,
    tensorCount: Number(info.totalTensorCount),
    architecture: architecture === null ? null : String(architecture),
    name: info.metadata.general.name ?? null,
    contextLength: typeof contextLength === 'number' ? contextLength : null,
    splitCount: info.splicedParts,
    fileSize: sizes.reduce((a, b) => a + b, 0),
  };
}

async function readHead(file: string): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(ggufStartLength);
    const { bytesRead } = await handle.read(buffer, 0, ggufStartLength, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
