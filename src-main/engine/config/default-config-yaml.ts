// The commented config.yaml that `nocturnal init` writes. Generated from the schema itself, so the
// comments, keys and defaults can never drift from what the loader accepts.
import { stringify } from 'yaml';
import { configSchema, defaultConfig } from '../../../src-shared/config/schema';
import { objectShape } from './schema-walk';
import { envVariableName } from './env-overrides';

export function renderDefaultConfigYaml(): string {
  const defaults = defaultConfig() as unknown as Record<string, Record<string, unknown>>;
  const lines: string[] = [
    '# Nocturnal Agent configuration.',
    '# Every key is optional: a missing key takes the default shown here. Unknown keys are errors.',
    '# Any field can be overridden by an environment variable NOCTURNAL_ + its path in upper snake case,',
    `# e.g. ${envVariableName('scheduler', 'start_time')}=23:30 or ${envVariableName('quality', 'weights', 'checks')}=0.5;`,
    '# lists take comma-separated values. API keys never belong in this file:',
    '# put the key in an environment variable and name it in llm.api_key_env.',
    '',
  ];
  for (const [section, sectionSchema] of Object.entries(configSchema.shape)) {
    const about = sectionSchema.description ?? descriptionOf(sectionSchema);
    if (about) lines.push(`# ${about}`);
    lines.push(`${section}:`);
    for (const [field, fieldSchema] of Object.entries(objectShape(sectionSchema) ?? {})) {
      const help = descriptionOf(fieldSchema);
      if (help) lines.push(`  # ${help}`);
      const value = defaults[section]?.[field];
      const rendered = stringify({ [field]: value }, { indent: 2, flowCollectionPadding: false }).trimEnd();
      for (const line of rendered.split('\n')) lines.push(`  ${line}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

function descriptionOf(schema: { description?: string | undefined; def?: unknown }): string | undefined {
  let current: unknown = schema;
  while (current && typeof current === 'object') {
    const description = (current as { description?: string }).description;
    if (description) return description;
    current = (current as { def?: { innerType?: unknown } }).def?.innerType;
  }
  return undefined;
}
