import { describe, expect, it } from 'vitest';
import { LlmError } from './llm-error';
import { editsSchema, exploreSchema, protocolSchemas, reviewSchema, specSchema } from './protocol';
import { parseStructuredReply } from './reply-parser';

describe('LLM protocol v1', () => {
  it('names every schema nocturnal_* and never uses JSON-schema integer', () => {
    for (const schema of protocolSchemas) {
      expect(schema.name).toMatch(/^nocturnal_[a-z_]+$/);
      expect(JSON.stringify(schema.jsonSchema)).not.toContain('"integer"');
    }
  });

  it('lists every property as required and closes every object (OpenAI strict mode)', () => {
    const visit = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(visit);
      if (typeof node !== 'object' || node === null) return;
      const o = node as Record<string, unknown>;
      if (o.type === 'object') {
        expect(o.additionalProperties).toBe(false);
        expect(o.required).toEqual(Object.keys(o.properties as object));
      }
      Object.values(o).forEach(visit);
    };
    protocolSchemas.forEach((s) => visit(s.jsonSchema));
  });

  it('accepts the three edit actions and drops unknown extra keys', () => {
    const reply = {
      summary: 'fix',
      edits: [
        { action: 'replace', path: 'src/a.ts', search: 'a', replace: 'b', note: 'extra' },
        { action: 'write', path: 'src/new.ts', content: 'x\n' },
        { action: 'delete', path: 'old.txt' },
      ],
    };
    const value = parseStructuredReply(editsSchema, JSON.stringify(reply));
    expect(value.edits[0]).toEqual({ action: 'replace', path: 'src/a.ts', search: 'a', replace: 'b' });
    expect(value.edits).toHaveLength(3);
  });

  it('rejects shapes the engine cannot use, naming the path', () => {
    const cases: [typeof editsSchema | typeof reviewSchema | typeof specSchema, unknown, RegExp][] = [
      [
        editsSchema,
        { summary: 's', edits: [{ action: 'replace', path: 'a' }] },
        /edits\[0\]\.search: .*expected string/,
      ],
      [editsSchema, { summary: 's', edits: [{ action: 'move', path: 'a' }] }, /edits\[0\]\.action: /],
      [reviewSchema, { score: 1.5, verdict: 'approve', issues: [] }, /score: .*<=1/],
      [reviewSchema, { score: 0.5, verdict: 'maybe', issues: [] }, /verdict: /],
      [specSchema, { requirements: [], acceptance_criteria: [], plan: [] }, /files: .*expected array/],
    ];
    for (const [schema, reply, message] of cases) {
      const error = (() => {
        try {
          parseStructuredReply(schema as typeof reviewSchema, JSON.stringify(reply));
          return undefined;
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(LlmError);
      expect((error as LlmError).kind).toBe('invalid_output');
      expect((error as LlmError).message).toMatch(new RegExp(`^the model's reply did not match ${schema.name}: `));
      expect((error as LlmError).message).toMatch(message);
    }
  });

  it('finds the JSON inside a Markdown fence or a sentence, and reports non-JSON clearly', () => {
    const review = { score: 0.5, verdict: 'revise', issues: ['x'] };
    expect(parseStructuredReply(reviewSchema, `Here you go:\n\`\`\`json\n${JSON.stringify(review)}\n\`\`\``)).toEqual(
      review,
    );
    expect(parseStructuredReply(reviewSchema, `Sure! ${JSON.stringify(review)} Hope it helps.`)).toEqual(review);
    expect(() => parseStructuredReply(reviewSchema, 'I cannot do that.')).toThrow(
      /nocturnal_review: it is not valid JSON .*reply starts "I cannot do that\."/,
    );
  });

  it('nocturnal_explore: at most 8 files and 8 symbols, paths non-empty, extra keys dropped', () => {
    const reply = {
      files: ['src/a.ts'],
      symbols: ['Queue.pop'],
      reason: 'pop is where the order is decided',
      confidence: 1,
    };
    expect(parseStructuredReply(exploreSchema, JSON.stringify(reply))).toEqual({
      files: ['src/a.ts'],
      symbols: ['Queue.pop'],
      reason: 'pop is where the order is decided',
    });
    const nine = Array.from({ length: 9 }, (_, i) => `f${i}.ts`);
    expect(() => parseStructuredReply(exploreSchema, JSON.stringify({ files: nine, symbols: [], reason: '' }))).toThrow(
      /nocturnal_explore: .*files/,
    );
    expect(() => parseStructuredReply(exploreSchema, JSON.stringify({ files: [''], symbols: [], reason: '' }))).toThrow(
      /files\[0\]/,
    );
    expect(() =>
      parseStructuredReply(exploreSchema, JSON.stringify({ score: 1, verdict: 'approve', issues: [] })),
    ).toThrow(/nocturnal_explore: .*files: .*expected array/);
  });
});
