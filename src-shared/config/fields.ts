// The settings form, described from the config schema itself: one entry per `section.field` with the
// kind of control it needs, its choices and its help text. Walking the schema (rather than listing
// fields by hand) keeps the form and config.yaml from drifting apart.
import { z } from 'zod';
import { configSchema } from './schema';
import type { ConfigSectionName } from './schema';

export type FieldKind =
  | { kind: 'boolean' }
  | { kind: 'number'; integer: boolean; min: number | null; max: number | null }
  | { kind: 'string' }
  | { kind: 'choice'; options: Array<string | false> }
  | { kind: 'list'; of: 'string' | 'number' }
  /** Nested values (weights, prices): edited as JSON. */
  | { kind: 'json' };

export interface ConfigField {
  section: ConfigSectionName;
  key: string;
  /** `section.field`, what `config:set` takes. */
  path: string;
  nullable: boolean;
  description: string | null;
  control: FieldKind;
}

export interface ConfigSection {
  name: ConfigSectionName;
  description: string | null;
  fields: ConfigField[];
}

function unwrap(schema: z.ZodType): { inner: z.ZodType; nullable: boolean; description: string | null } {
  let inner = schema;
  let nullable = false;
  let description = schema.description ?? null;
  for (;;) {
    if (inner instanceof z.ZodDefault || inner instanceof z.ZodPrefault || inner instanceof z.ZodOptional)
      inner = inner.unwrap() as z.ZodType;
    else if (inner instanceof z.ZodNullable) {
      nullable = true;
      inner = inner.unwrap() as z.ZodType;
    } else break;
    description ??= inner.description ?? null;
  }
  return { inner, nullable, description };
}

function controlOf(schema: z.ZodType): FieldKind {
  if (schema instanceof z.ZodBoolean) return { kind: 'boolean' };
  if (schema instanceof z.ZodNumber)
    return { kind: 'number', integer: schema.isInt, min: finite(schema.minValue), max: finite(schema.maxValue) };
  if (schema instanceof z.ZodEnum) return { kind: 'choice', options: schema.options.map(String) };
  if (schema instanceof z.ZodUnion) {
    const options: Array<string | false> = [];
    for (const option of schema.options as readonly z.ZodType[]) {
      if (option instanceof z.ZodEnum) options.push(...option.options.map(String));
      else if (option instanceof z.ZodLiteral && (typeof option.value === 'string' || option.value === false))
        options.push(option.value);
      else return { kind: 'json' };
    }
    return { kind: 'choice', options };
  }
  if (schema instanceof z.ZodArray) {
    const element = unwrap(schema.element as z.ZodType).inner;
    return { kind: 'list', of: element instanceof z.ZodNumber ? 'number' : 'string' };
  }
  if (schema instanceof z.ZodString) return { kind: 'string' };
  return { kind: 'json' };
}

function finite(value: number | null): number | null {
  return value !== null && Number.isFinite(value) ? value : null;
}

export function describeConfigForm(): ConfigSection[] {
  return (Object.entries(configSchema.shape) as Array<[ConfigSectionName, z.ZodType]>).map(([name, sectionSchema]) => {
    const { inner, description } = unwrap(sectionSchema);
    const shape = inner instanceof z.ZodObject ? (inner.shape as Record<string, z.ZodType>) : {};
    return {
      name,
      description,
      fields: Object.entries(shape).map(([key, fieldSchema]) => {
        const field = unwrap(fieldSchema);
        return {
          section: name,
          key,
          path: `${name}.${key}`,
          nullable: field.nullable,
          description: field.description,
          control: controlOf(field.inner),
        };
      }),
    };
  });
}
