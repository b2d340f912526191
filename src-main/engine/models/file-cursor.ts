// Sequential little-endian reads from a file through a buffer, for parsing GGUF headers whose metadata
// (vocabularies of 150k strings) is too large to read value by value with one syscall each, and whose
// files (gigabytes) are too large to read whole.
import type { FileHandle } from 'node:fs/promises';

/** Thrown when a read would go past the end of the file. */
export class CutShortError extends Error {
  constructor(readonly at: number, readonly fileSize: number) {
    super(`the file ends at byte ${fileSize}, inside a value that starts at byte ${at}`);
    this.name = 'CutShortError';
  }
}

export class FileCursor {
  private buffer: Buffer = Buffer.alloc(0);
  private bufferStart = 0;
  position = 0;

  constructor(
    private readonly handle: FileHandle,
    readonly size: number,
    private readonly chunkSize = 1 << 20,
  ) {}

  async bytes(length: number): Promise<Buffer> {
    await this.ensure(length);
    const start = this.position - this.bufferStart;
    this.position += length;
    return this.buffer.subarray(start, start + length);
  }

  skip(length: number): void {
    if (this.position + length > this.size) throw new CutShortError(this.position, this.size);
    this.position += length;
  }

  async u8(): Promise<number> {
    return (await this.bytes(1)).readUInt8(0);
  }

  async u16(): Promise<number> {
    return (await this.bytes(2)).readUInt16LE(0);
  }

  async u32(): Promise<number> {
    return (await this.bytes(4)).readUInt32LE(0);
  }

  async u64(): Promise<bigint> {
    return (await this.bytes(8)).readBigUInt64LE(0);
  }

  private async ensure(length: number): Promise<void> {
    if (this.position + length > this.size) throw new CutShortError(this.position, this.size);
    const start = this.position - this.bufferStart;
    if (start >= 0 && start + length <= this.buffer.length) return;
    const want = Math.min(Math.max(length, this.chunkSize), this.size - this.position);
    const next = Buffer.allocUnsafe(want);
    const { bytesRead } = await this.handle.read(next, 0, want, this.position);
    // The file shrank while we read it: treat like a short file.
    if (bytesRead < length) throw new CutShortError(this.position, this.position + bytesRead);
    this.buffer = next.subarray(0, bytesRead);
    this.bufferStart = this.position;
  }
}
