// Converts a protocol JSON Schema into the subset node-llama-cpp compiles to a GBNF grammar
// (GbnfJsonSchema). The protocol schemas stay standard JSON Schema for OpenAI-compatible servers;
// this is the one place that knows the embedded back end's dialect:
// - `anyOf` becomes `oneOf` (node-llama-cpp only knows oneOf; for grammar purposes they are the same);
// - a number with a small closed range (`minimum`/`maximum`, e.g. a review score in [0, 1]) becomes an
//   enum of its values at two decimals, because the grammar cannot bound numbers and an out-of-range
//   value would otherwise be produced and then fail validation;
// - keywords the grammar cannot express (pattern, multipleOf, …) are dropped; zod still checks them.
import type { GbnfJsonObjectSchema } from 'node-llama-cpp';
import type { JsonSchema } from './protocol';

const maxEnumeratedValues = 1001;

/** Protocol replies are always JSON objects, so the grammar's root is an object schema. */
export function toGrammarSchema(schema: JsonSchema): GbnfJsonObjectSchema {
  if (schema.type !== 'object') throw new Error('a protocol schema must describe a JSON object at its root');
  return convert(schema, '#') as GbnfJsonObjectSchema;
}

function convert(schema: JsonSchema, where: string): Record<string, unknown> {
  const description = typeof schema.description === 'string' ? { description: schema.description } : {};
  if (Array.isArray(schema.enum)) return { enum: schema.enum, ...description };
  if ('const' in schema) return { const: schema.const, ...description };
  const alternatives = Array.isArray(schema.anyOf)
    ? schema.anyOf
    : Array.isArray(schema.oneOf)
      ? schema.oneOf
      : undefined;
  if (alternatives !== undefined) {
    return {
      oneOf: alternatives.map((s, i) => convert(asSchema(s, `${where}/anyOf/${i}`), `${where}/anyOf/${i}`)),
      ...description,
    };
  }
  switch (schema.type) {
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, unknown>;
      return {
        type: 'object',
        properties: Object.fromEntries(
          Object.entries(properties).map(([key, value]) => [
            key,
            convert(asSchema(value, `${where}/${key}`), `${where}/${key}`),
          ]),
        ),
        required: Array.isArray(schema.required) ? schema.required : [],
        // The grammar must be closed: an open object would let a model wander off into extra keys.
        additionalProperties: false,
        ...description,
      };
    }
    case 'array':
      return {
        type: 'array',
        ...(schema.items === undefined
          ? {}
          : { items: convert(asSchema(schema.items, `${where}/items`), `${where}/items`) }),
        ...pick(schema, ['minItems', 'maxItems']),
        ...description,
      };
    case 'string':
      return { type: 'string', ...pick(schema, ['minLength', 'maxLength']), ...description };
    case 'number':
    case 'integer': {
      const enumerated = enumerateRange(schema, schema.type === 'integer' ? 1 : 0.01);
      if (enumerated !== undefined) return { enum: enumerated, ...description };
      return { type: schema.type, ...description };
    }
    case 'boolean':
    case 'null':
      return { type: schema.type, ...description };
    default:
      throw new Error(
        `cannot turn the JSON Schema at ${where} into a grammar: unsupported type ${JSON.stringify(schema.type)}`,
      );
  }
}

function enumerateRange(schema: JsonSchema, step: number): number[] | undefined {
  const { minimum, maximum } = schema;
  if (typeof minimum !== 'number' || typeof maximum !== 'number' || maximum < minimum) return undefined;
  const count = Math.floor((maximum - minimum) / step + 1e-9) + 1;
  if (count > maxEnumeratedValues) return undefined;
  const decimals = step < 1 ? 2 : 0;
  return Array.from({ length: count }, (_, i) => Number((minimum + i * step).toFixed(decimals)));
}

function pick(schema: JsonSchema, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => typeof schema[k] === 'number').map((k) => [k, schema[k]]));
}

function asSchema(value: unknown, where: string): JsonSchema {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`cannot turn the JSON Schema at ${where} into a grammar: expected a schema object`);
  }
  return value as JsonSchema;
}
