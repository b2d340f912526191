// Small helpers to look inside the zod config schema: which keys exist at a path (for "did you mean"),
// and every leaf field at any depth (for the NOCTURNAL_<PATH> overrides), so no field can lack one.
import type { z } from 'zod';
import { configSchema } from '../../../src-shared/config/schema';

interface Wrapped {
  def?: { innerType?: z.ZodType; type?: string; shape?: Record<string, z.ZodType> };
  shape?: Record<string, z.ZodType>;
}

/** Strips default/prefault/nullable/optional wrappers. */
export function unwrapSchema(schema: z.ZodType): z.ZodType {
  let current = schema as unknown as Wrapped;
  while (current.def?.innerType) current = current.def.innerType as unknown as Wrapped;
  return current as unknown as z.ZodType;
}

export function objectShape(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  const inner = unwrapSchema(schema) as unknown as Wrapped;
  return inner.def?.type === 'object' ? inner.shape : undefined;
}

/** The schema found at a path of object keys, or undefined. */
export function schemaAt(path: readonly (string | number)[]): z.ZodType | undefined {
  let current: z.ZodType | undefined = configSchema;
  for (const key of path) {
    const shape: Record<string, z.ZodType> | undefined = current ? objectShape(current) : undefined;
    current = shape && typeof key === 'string' ? shape[key] : undefined;
  }
  return current;
}

export function keysAt(path: readonly (string | number)[]): string[] {
  const schema = schemaAt(path);
  const shape = schema ? objectShape(schema) : undefined;
  return shape ? Object.keys(shape) : [];
}

export interface ConfigLeaf {
  /** Object keys from the section down, e.g. ['quality', 'weights', 'checks']. */
  path: string[];
  schema: z.ZodType;
  /** The element schema when the leaf is a list (the environment gives it comma-separated). */
  element: z.ZodType | undefined;
}

/**
 * Every leaf of the config schema: a field that is not an object with fixed keys. A record keyed by
 * the user (cost.prices) is one leaf, given whole as a YAML flow mapping.
 */
export function configLeaves(): ConfigLeaf[] {
  const out: ConfigLeaf[] = [];
  const walk = (schema: z.ZodType, path: string[]) => {
    const shape = objectShape(schema);
    if (shape) {
      for (const [key, child] of Object.entries(shape)) walk(child, [...path, key]);
      return;
    }
    out.push({ path, schema, element: arrayElement(schema) });
  };
  walk(configSchema, []);
  return out;
}

function arrayElement(schema: z.ZodType): z.ZodType | undefined {
  const inner = unwrapSchema(schema) as unknown as { def?: { type?: string; element?: z.ZodType } };
  return inner.def?.type === 'array' ? inner.def.element : undefined;
}

export function sectionFields(): { section: string; field: string; schema: z.ZodType }[] {
  const out: { section: string; field: string; schema: z.ZodType }[] = [];
  for (const [section, sectionSchema] of Object.entries(configSchema.shape)) {
    for (const [field, schema] of Object.entries(objectShape(sectionSchema) ?? {}))
      out.push({ section, field, schema });
  }
  return out;
}

export function nearestKey(candidate: string, options: readonly string[]): string | undefined {
  let best: { key: string; distance: number } | undefined;
  for (const key of options) {
    const distance = levenshtein(candidate.toLowerCase(), key.toLowerCase());
    if (!best || distance < best.distance) best = { key, distance };
  }
  if (!best) return undefined;
  return best.distance <= Math.max(2, Math.floor(best.key.length / 3)) ? best.key : undefined;
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previousDiagonal = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] ?? 0;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, previousDiagonal + cost);
      previousDiagonal = above;
    }
  }
  return row[b.length] ?? 0;
}
