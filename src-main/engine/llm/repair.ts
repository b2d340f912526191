// The wording of the two instructions the layer itself adds to a conversation: the schema reminder
// (for servers without json_schema support) and the one repair turn after an invalid reply. They are
// part of the protocol, so they are versioned with it rather than scattered through providers.
import type { StructuredSchema } from './protocol';
import { protocolVersion } from './protocol';

export function schemaInstruction<T>(schema: StructuredSchema<T>): string {
  return [
    `Reply with one JSON object and nothing else (no Markdown, no prose). It must match this JSON Schema named ${schema.name} (protocol v${protocolVersion}):`,
    JSON.stringify(schema.jsonSchema),
  ].join('\n');
}

export function repairInstruction<T>(schema: StructuredSchema<T>, problem: string): string {
  return [
    `Your previous reply could not be used: ${problem}.`,
    `Reply again with only the corrected JSON object matching ${schema.name}. Keep everything that was right; fix only what is wrong.`,
  ].join('\n');
}
