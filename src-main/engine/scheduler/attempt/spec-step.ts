// The spec executor's first step inside the improve stage: a `nocturnal_spec`, validated, with one
// chance to correct it.
import { specPromptV1 } from '../../agents/prompts/spec-v1';
import { validateSpec } from '../../agents/validate-spec';
import { specSchema } from '../../llm/protocol';
import type { NocturnalSpec } from '../../llm/protocol';
import type { ReadyRun } from './attempt-run';

export type SpecResult = { kind: 'ok'; spec: NocturnalSpec } | { kind: 'refused'; problems: string[] };

export async function specify(run: ReadyRun, context: string): Promise<SpecResult> {
  const { deps, brief, worktree, interaction, signal, record } = run;
  let feedback: string | null = null;
  let problems: string[] = [];
  for (let round = 0; round < 2; round++) {
    record.progress(
      'generate',
      0,
      round === 0 ? 'asking the model for a spec' : 'asking the model to correct the spec',
    );
    const reply = await deps.model.call({
      agent: 'spec',
      promptId: specPromptV1.id,
      messages: specPromptV1.render({ task: brief, context, feedback }),
      schema: specSchema,
      context: interaction,
      signal,
    });
    problems = await validateSpec(reply.value, worktree.path, deps.config.safety);
    if (problems.length === 0) return { kind: 'ok', spec: reply.value };
    feedback = problems.join('\n');
  }
  return { kind: 'refused', problems };
}
