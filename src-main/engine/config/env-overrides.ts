// NOCTURNAL_<SECTION>_<FIELD> overrides for every config field (DESIGN §9). A value is first tried as
// the raw string against the field's schema (so a string field stays a string even if it looks like
// a number), then as a YAML scalar or flow value (numbers, booleans, null, `[a, b]`). Whatever still
// fails is reported against the field with the variable's name, never dropped.
import { parse as parseYaml } from 'yaml';
import { configSectionNames } from '../../../src-shared/config/schema';
import type { ConfigProblem } from './config-error';
import { nearestKey, sectionFields } from './schema-walk';

export interface EnvOverride {
  variable: string;
  path: [string, string];
  value: unknown;
}

export function envVariableName(section: string, field: string): string {
  return `NOCTURNAL_${section}_${field}`.toUpperCase();
}

export function collectEnvOverrides(env: NodeJS.ProcessEnv): { overrides: EnvOverride[]; problems: ConfigProblem[] } {
  const overrides: EnvOverride[] = [];
  const problems: ConfigProblem[] = [];
  const fields = sectionFields();
  const known = new Set(fields.map((f) => envVariableName(f.section, f.field)));

  for (const { section, field, schema } of fields) {
    const variable = envVariableName(section, field);
    const raw = env[variable];
    if (raw === undefined) continue;
    let value: unknown = raw;
    if (!schema.safeParse(raw).success) {
      try {
        value = parseYaml(raw);
      } catch {
        value = raw;
      }
    }
    overrides.push({ variable, path: [section, field], value });
  }

  // A misspelt override would otherwise be ignored without a word.
  for (const variable of Object.keys(env)) {
    if (known.has(variable)) continue;
    for (const section of configSectionNames) {
      const prefix = `NOCTURNAL_${section.toUpperCase()}_`;
      if (!variable.startsWith(prefix)) continue;
      const field = variable.slice(prefix.length).toLowerCase();
      const sectionKeys = fields.filter((f) => f.section === section).map((f) => f.field);
      const suggestion = nearestKey(field, sectionKeys);
      problems.push({
        path: `${section}.${field}`,
        source: variable,
        message: `unknown setting${suggestion ? ` — did you mean ${envVariableName(section, suggestion)}?` : ''}`,
      });
    }
  }
  return { overrides, problems };
}
