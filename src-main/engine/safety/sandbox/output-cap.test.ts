import { describe, expect, it } from 'vitest';
import { OutputCap } from './output-cap';

const feed = (cap: OutputCap, text: string, chunk: number) => {
  for (let i = 0; i < text.length; i += chunk) cap.push(Buffer.from(text.slice(i, i + chunk)));
};

describe('OutputCap', () => {
  it('keeps everything within the budget', () => {
    const cap = new OutputCap(10);
    feed(cap, 'abcdefghij', 3);
    expect(cap.text()).toBe('abcdefghij');
    expect(cap.truncated).toBe(false);
  });

  it.each([1, 2, 3, 7, 100])('keeps the head and the tail with a marker, whatever the chunk size (%i)', (chunk) => {
    const cap = new OutputCap(10);
    feed(cap, 'HEAD0' + 'x'.repeat(50) + 'TAIL9', chunk);
    expect(cap.text()).toBe('HEAD0\n[… 50 bytes omitted …]\nTAIL9');
    expect(cap.truncated).toBe(true);
    expect(cap.totalBytes).toBe(60);
  });

  it('keeps memory bounded for large output', () => {
    const cap = new OutputCap(1000);
    const block = Buffer.alloc(65536, 0x61);
    for (let i = 0; i < 200; i++) cap.push(block);
    expect(cap.text().length).toBeLessThan(1100);
    expect(cap.text()).toContain(`[… ${200 * 65536 - 1000} bytes omitted …]`);
  });
});
