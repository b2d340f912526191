// The scripted model of the browser specs. Like a model, it answers from what its prompt shows: it
// finds the task's title and the lines it means to change in the file contents it was given, and edits
// those; a prompt without them gets no edits. The reviewer scores by task, so one change lands in
// auto-merge and the others wait for review.
import type { ScriptedReply } from '../../src-main/engine/llm/testing/loopback-openai-server';

export const titles = {
  merge: 'Add a sub function',
  review: 'Describe the calculator in the README',
  reject: 'Greet readers in the README',
} as const;

const reviewIssue = 'The README says nothing about sub()';

function titleOf(prompt: string): string {
  return /# Task\n(.+)/.exec(prompt)?.[1]?.trim() ?? '';
}

/** The line as the prompt shows it, or null when the prompt does not show it. */
function shown(prompt: string, line: RegExp): string | null {
  return line.exec(prompt)?.[0] ?? null;
}

export function scriptedCalcModel(schema: string, prompt: string): ScriptedReply {
  const title = titleOf(prompt);
  if (schema === 'nocturnal_review') {
    return title === titles.merge
      ? { content: { score: 0.95, verdict: 'approve', issues: [] } }
      : { content: { score: 0.5, verdict: 'revise', issues: [reviewIssue] } };
  }
  if (schema !== 'nocturnal_edits') return { status: 400, message: `the scripted model answers no ${schema}` };
  if (title === titles.merge) {
    const exportsLine = shown(prompt, /^module\.exports = \{ add, mul \};$/m);
    const lastAssert = shown(prompt, /^assert\.strictEqual\(m\.mul\(2, 3\), 6\);$/m);
    if (!exportsLine || !lastAssert)
      return { content: { summary: 'the files I need are not in the prompt', edits: [] } };
    return {
      content: {
        summary: 'add sub() with a test',
        edits: [
          {
            path: 'math.js',
            action: 'replace',
            search: exportsLine,
            replace: `function sub(a, b) {\n  return a - b;\n}\n\n${exportsLine.replace('mul }', 'mul, sub }')}`,
          },
          {
            path: 'test.js',
            action: 'replace',
            search: lastAssert,
            replace: `${lastAssert}\nassert.strictEqual(m.sub(5, 3), 2);`,
          },
        ],
      },
    };
  }
  const heading = shown(prompt, /^# calc$/m);
  if (!heading) return { content: { summary: 'no README heading in the prompt', edits: [] } };
  const sentence = title === titles.review ? 'A tiny calculator: add() and mul().' : 'Hello, reader!';
  return {
    content: {
      summary: 'describe the project',
      edits: [{ path: 'README.md', action: 'replace', search: heading, replace: `${heading}\n\n${sentence}` }],
    },
  };
}

export { reviewIssue };
