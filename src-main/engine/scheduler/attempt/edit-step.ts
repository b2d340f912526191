// One cycle's edit: ask the model for `nocturnal_edits`, apply them through the safety layer and commit
// exactly the paths they wrote.
import { applyEdits } from '../../agents/edit-applier';
import { editsPromptV2 } from '../../agents/prompts/edits-v2';
import type { EditsPromptV2Input } from '../../agents/prompts/edits-v2';
import { commitAll } from '../../git/commit-all';
import { editsSchema } from '../../llm/protocol';
import type { AttemptEnding } from './attempt-recorder';
import { ending } from './attempt-recorder';
import type { ReadyRun } from './attempt-run';
import { safetyGate } from './evaluate-stage';
import { commitMessage } from './feedback-text';

export type EditOutcome =
  | {
      kind: 'committed';
      head: string | null;
      files: string[];
      summary: string;
      linesAdded: number;
      linesRemoved: number;
    }
  | { kind: 'feedback'; problems: string[]; missed: string[]; summary: string }
  | { kind: 'end'; ending: AttemptEnding };

/** `indexPaths`: the worktree's index as listed for this cycle's context, nothing staged (commit-all). */
export async function editStep(
  run: ReadyRun,
  cycle: number,
  prompt: Omit<EditsPromptV2Input, 'task'>,
  indexPaths?: ReadonlySet<string>,
): Promise<EditOutcome> {
  const { deps, record, worktree, signal, brief, interaction, attempt, task } = run;
  const { config } = deps;
  record.progress('generate', cycle, cycle === 0 ? 'asking the model for edits' : 'asking the model to improve');
  const edits = await deps.model.call({
    agent: 'direct',
    promptId: editsPromptV2.id,
    messages: editsPromptV2.render({ task: brief, ...prompt }),
    schema: editsSchema,
    context: interaction,
    conversationId: attempt.id,
    signal,
  });

  record.progress('apply', cycle, `applying ${edits.value.edits.length} edit(s)`);
  const applied = await applyEdits(worktree.path, edits.value.edits, config.safety);
  if (applied.kind === 'violation') {
    return {
      kind: 'end',
      ending: ending('rejected', {
        score: 0,
        scoreBreakdown: safetyGate(applied.reasons, config.quality),
        decision: 'reject',
        reasons: ['safety violation: nothing was written', ...applied.reasons],
      }),
    };
  }
  if (applied.kind === 'limit')
    return {
      kind: 'end',
      ending: ending('failed', {
        reasons: ['the change breaks a safety limit; nothing was committed', ...applied.reasons],
      }),
    };
  if (applied.kind === 'feedback')
    return { kind: 'feedback', problems: applied.problems, missed: applied.missed, summary: edits.value.summary };

  // Only what the edits wrote is staged: nothing else in the worktree can reach a commit.
  const committed = await commitAll({
    ...deps.git,
    worktree,
    ownedRoot: deps.paths.worktrees,
    message: commitMessage(task, edits.value.summary, cycle),
    paths: applied.files,
    created: applied.created,
    ...(indexPaths ? { indexPaths } : {}),
  });
  return {
    kind: 'committed',
    head: committed.kind === 'committed' ? committed.commit : null,
    files: applied.files,
    summary: edits.value.summary,
    linesAdded: applied.linesAdded,
    linesRemoved: applied.linesRemoved,
  };
}
