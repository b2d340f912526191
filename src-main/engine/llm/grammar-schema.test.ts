import { describe, expect, it } from 'vitest';
import { toGrammarSchema } from './grammar-schema';
import { editsSchema, reviewSchema } from './protocol';

describe('toGrammarSchema', () => {
  it('enumerates a bounded score at two decimals so the grammar keeps it in range', () => {
    const grammar = toGrammarSchema(reviewSchema.jsonSchema) as { properties: Record<string, { enum?: number[] }> };
    const score = grammar.properties.score?.enum ?? [];
    expect(score).toHaveLength(101);
    expect(score[0]).toBe(0);
    expect(score[85]).toBe(0.85);
    expect(score.at(-1)).toBe(1);
  });

  it('turns anyOf into oneOf and keeps lengths, item limits and required keys', () => {
    const grammar = toGrammarSchema(editsSchema.jsonSchema) as unknown as {
      properties: {
        edits: { maxItems: number; items: { oneOf: { properties: Record<string, unknown>; required: string[] }[] } };
      };
    };
    const variants = grammar.properties.edits.items.oneOf;
    expect(variants.map((v) => v.required)).toEqual([
      ['action', 'path', 'search', 'replace'],
      ['action', 'path', 'content'],
      ['action', 'path'],
    ]);
    expect(variants[0]?.properties.path).toEqual({ type: 'string', minLength: 1, maxLength: 400 });
    expect(grammar.properties.edits.maxItems).toBe(50);
  });

  it('refuses what it cannot express', () => {
    expect(() => toGrammarSchema({ type: 'string' })).toThrow(/root/);
    expect(() => toGrammarSchema({ type: 'object', properties: { x: { type: 'date' } } })).toThrow(
      /#\/x.*unsupported type "date"/,
    );
  });
});
