// LLM protocol v1 (DESIGN §5): every structured model call asks for JSON matching one of these named
// schemas, and every reply is validated with the paired zod schema before the engine uses it.
//
// The JSON Schemas are written so that both back ends can enforce them:
// - OpenAI strict mode wants every property listed in `required` and `additionalProperties: false`;
//   per-action edit fields are therefore modelled as an `anyOf` of exact variants, not optional keys.
// - node-llama-cpp compiles them to a GBNF grammar (see grammar-schema.ts for the subset it accepts).
// - No `integer`: a constrained random model can still write exponents (1e5), which fail zod.
// - Strings and arrays carry maxLength/maxItems so that even a model that never wants to stop
//   (a random-weight test model) must close them. Code-carrying strings get generous limits.
// The zod validators are deliberately not strict: extra keys are allowed and dropped (§5 "more
// optional fields allowed").
import { z } from 'zod';

/** A JSON Schema object, as sent to a server or compiled to a grammar. */
export type JsonSchema = { readonly [key: string]: unknown };

export interface StructuredSchema<T> {
  /** The protocol name, e.g. `nocturnal_edits`; new kinds of call start with `nocturnal_`. */
  readonly name: string;
  readonly jsonSchema: JsonSchema;
  readonly parse: z.ZodType<T>;
}

export const protocolVersion = 1;

const limits = {
  summary: 2000,
  path: 400,
  code: 60_000,
  fileContent: 200_000,
  listItem: 1000,
  edits: 50,
  listItems: 30,
  files: 50,
} as const;

const boundedString = (maxLength: number) => ({ type: 'string', maxLength }) as const;
const stringList = (maxItems: number, maxLength: number) =>
  ({ type: 'array', items: boundedString(maxLength), maxItems }) as const;
const pathString = { type: 'string', minLength: 1, maxLength: limits.path } as const;

function exactObject(properties: Record<string, JsonSchema>): JsonSchema {
  return { type: 'object', properties, required: Object.keys(properties), additionalProperties: false };
}

// ---- nocturnal_edits -------------------------------------------------------------------------

const editsJsonSchema = exactObject({
  summary: boundedString(limits.summary),
  edits: {
    type: 'array',
    maxItems: limits.edits,
    items: {
      anyOf: [
        exactObject({
          action: { type: 'string', enum: ['replace'] },
          path: pathString,
          search: boundedString(limits.code),
          replace: boundedString(limits.code),
        }),
        exactObject({
          action: { type: 'string', enum: ['write'] },
          path: pathString,
          content: boundedString(limits.fileContent),
        }),
        exactObject({ action: { type: 'string', enum: ['delete'] }, path: pathString }),
      ],
    },
  },
});

const editPath = z.string().min(1).max(limits.path);

export const editValidator = z.discriminatedUnion('action', [
  z.object({ action: z.literal('replace'), path: editPath, search: z.string(), replace: z.string() }),
  z.object({ action: z.literal('write'), path: editPath, content: z.string() }),
  z.object({ action: z.literal('delete'), path: editPath }),
]);

export const editsValidator = z.object({
  summary: z.string(),
  edits: z.array(editValidator).max(limits.edits),
});

export type NocturnalEdit = z.infer<typeof editValidator>;
export type NocturnalEdits = z.infer<typeof editsValidator>;

export const editsSchema: StructuredSchema<NocturnalEdits> = {
  name: 'nocturnal_edits',
  jsonSchema: editsJsonSchema,
  parse: editsValidator,
};

// ---- nocturnal_review ------------------------------------------------------------------------

export const reviewVerdicts = ['approve', 'revise', 'reject'] as const;

export const reviewValidator = z.object({
  score: z.number().min(0).max(1),
  verdict: z.enum(reviewVerdicts),
  issues: z.array(z.string()).max(limits.listItems),
});

export type NocturnalReview = z.infer<typeof reviewValidator>;

export const reviewSchema: StructuredSchema<NocturnalReview> = {
  name: 'nocturnal_review',
  jsonSchema: exactObject({
    score: { type: 'number', minimum: 0, maximum: 1 },
    verdict: { type: 'string', enum: [...reviewVerdicts] },
    issues: stringList(limits.listItems, limits.listItem),
  }),
  parse: reviewValidator,
};

// ---- nocturnal_spec --------------------------------------------------------------------------

export const specValidator = z.object({
  requirements: z.array(z.string()).max(limits.listItems),
  acceptance_criteria: z.array(z.string()).max(limits.listItems),
  plan: z.array(z.string()).max(limits.listItems),
  files: z.array(editPath).max(limits.files),
});

export type NocturnalSpec = z.infer<typeof specValidator>;

export const specSchema: StructuredSchema<NocturnalSpec> = {
  name: 'nocturnal_spec',
  jsonSchema: exactObject({
    requirements: stringList(limits.listItems, limits.listItem),
    acceptance_criteria: stringList(limits.listItems, limits.listItem),
    plan: stringList(limits.listItems, limits.listItem),
    files: { type: 'array', items: pathString, maxItems: limits.files },
  }),
  parse: specValidator,
};

// ---- nocturnal_explore -----------------------------------------------------------------------
// The cheap first call of an attempt: given the task and the repo map, which files and symbols the model
// wants to read before it edits. Small on purpose (a few short lists), so a small max_tokens suffices.

const exploreLimits = { items: 8, symbol: 200, reason: 500 } as const;

export const exploreValidator = z.object({
  files: z.array(editPath).max(exploreLimits.items),
  symbols: z.array(z.string().min(1).max(exploreLimits.symbol)).max(exploreLimits.items),
  reason: z.string(),
});

export type NocturnalExplore = z.infer<typeof exploreValidator>;

export const exploreSchema: StructuredSchema<NocturnalExplore> = {
  name: 'nocturnal_explore',
  jsonSchema: exactObject({
    files: { type: 'array', items: pathString, maxItems: exploreLimits.items },
    symbols: {
      type: 'array',
      items: { type: 'string', minLength: 1, maxLength: exploreLimits.symbol },
      maxItems: exploreLimits.items,
    },
    reason: boundedString(exploreLimits.reason),
  }),
  parse: exploreValidator,
};

export const protocolSchemas = [editsSchema, reviewSchema, specSchema, exploreSchema] as const;
