// NOCTURNAL_<PATH> overrides for every config field at any depth (DESIGN §9): the name is NOCTURNAL_
// plus the field's path in upper snake case (quality.weights.checks → NOCTURNAL_QUALITY_WEIGHTS_CHECKS),
// derived from the schema walk so no field can lack one. A value is first tried as the raw string
// against the field's schema (so a string field stays a string even if it looks like a number), then
// as a YAML scalar or flow value (numbers, booleans, null, `[a, b]`). A list takes comma-separated
// values (`a,b`), each read like a scalar; `null` clears a field that may be null. Whatever still fails is reported against the field with
// the variable's name, never dropped.
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { configSectionNames } from '../../../src-shared/config/schema';
import type { ConfigProblem } from './config-error';
import { configLeaves, nearestKey } from './schema-walk';

export interface EnvOverride {
  variable: string;
  /** The field's path, e.g. ['quality', 'weights', 'checks']. */
  path: string[];
  value: unknown;
}

/** `envVariableName('quality', 'weights', 'checks')` → `NOCTURNAL_QUALITY_WEIGHTS_CHECKS`. */
export function envVariableName(...path: string[]): string {
  return `NOCTURNAL_${path.join('_')}`.toUpperCase();
}

/** The variables set in `env` that override the field at `path` or anything below it. */
export function overridingVariables(env: NodeJS.ProcessEnv, path: readonly string[]): string[] {
  return configLeaves()
    .filter((leaf) => path.every((key, i) => leaf.path[i] === key))
    .map((leaf) => envVariableName(...leaf.path))
    .filter((variable) => env[variable] !== undefined);
}

export function collectEnvOverrides(env: NodeJS.ProcessEnv): { overrides: EnvOverride[]; problems: ConfigProblem[] } {
  const overrides: EnvOverride[] = [];
  const problems: ConfigProblem[] = [];
  const leaves = configLeaves();
  const known = new Set(leaves.map((leaf) => envVariableName(...leaf.path)));

  for (const leaf of leaves) {
    const variable = envVariableName(...leaf.path);
    const raw = env[variable];
    if (raw === undefined) continue;
    overrides.push({ variable, path: leaf.path, value: readValue(raw, leaf.schema, leaf.element) });
  }

  // A misspelt override would otherwise be ignored without a word.
  for (const variable of Object.keys(env)) {
    if (known.has(variable)) continue;
    for (const section of configSectionNames) {
      const prefix = `NOCTURNAL_${section.toUpperCase()}_`;
      if (!variable.startsWith(prefix)) continue;
      const sectionNames = leaves
        .filter((leaf) => leaf.path[0] === section)
        .map((leaf) => envVariableName(...leaf.path));
      const suggestion = nearestKey(variable, sectionNames);
      problems.push({
        path: `${section}.${variable.slice(prefix.length).toLowerCase()}`,
        source: variable,
        message: `unknown setting${suggestion ? ` — did you mean ${suggestion}?` : ''}`,
      });
    }
  }
  return { overrides, problems };
}

function readValue(raw: string, schema: z.ZodType, element: z.ZodType | undefined): unknown {
  // `null` (or nothing) clears a field that may be null (llm.model_path), rather than naming a file "null".
  if ((raw === 'null' || raw === '') && schema.safeParse(null).success) return null;
  if (schema.safeParse(raw).success) return raw;
  if (element && !raw.trimStart().startsWith('[')) {
    if (raw.trim() === '') return [];
    return raw.split(',').map((part) => {
      const item = part.trim();
      return element.safeParse(item).success ? item : readScalar(item);
    });
  }
  return readScalar(raw);
}

function readScalar(raw: string): unknown {
  try {
    return parseYaml(raw) as unknown;
  } catch {
    return raw;
  }
}
