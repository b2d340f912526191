// A scripted model for end-to-end tests that answers from what the prompt shows it, as a model would:
// asked for edits, it looks for `file` in the repository context and swaps the operator of the first
// line that subtracts (`return a - b;` → `return a + b;`), searching for the line exactly as it
// appears; if the prompt does not show such a line it proposes nothing. Asked for a review, it judges
// the diff in the prompt: a fix that adds instead of subtracting gets `reviewScore` with a note that
// no test was added, anything else is rejected. A stale or missing context therefore fails the task.
// Asked what to read (nocturnal_explore), it picks from the repo map as explore-from-map.ts does.
import { exploreReply } from './explore-from-map';
import type { ChatCompletionBody, ScriptedReply } from './loopback-openai-server';

export interface FixOperatorModelOptions {
  file: string;
  /** The score the review gives a correct fix (0.2 keeps a change between the thresholds for review). */
  reviewScore: number;
}

export function fixOperatorModel(options: FixOperatorModelOptions): (body: ChatCompletionBody) => ScriptedReply {
  return (body) => {
    const schema = body.response_format?.json_schema?.name ?? '';
    const prompt = (body.messages ?? []).map((m) => m.content).join('\n');
    if (schema === 'nocturnal_edits') {
      const block = new RegExp(`## ${escapeRegExp(options.file)}\\n\`\`\`\\n([\\s\\S]*?)\\n\`\`\``).exec(prompt);
      const line = block?.[1]?.split('\n').find((l) => /return \w+ - \w+;/.test(l));
      if (!line) return { content: { summary: `${options.file} does not show a subtraction to fix`, edits: [] } };
      return {
        content: {
          summary: `add instead of subtracting in ${options.file}`,
          edits: [{ path: options.file, action: 'replace', search: line, replace: line.replace(' - ', ' + ') }],
        },
      };
    }
    if (schema === 'nocturnal_explore') return exploreReply(prompt);
    if (schema === 'nocturnal_review') {
      const fixed = /^\+.*return \w+ \+ \w+;/m.test(prompt) && /^-.*return \w+ - \w+;/m.test(prompt);
      return fixed
        ? {
            content: {
              score: options.reviewScore,
              verdict: 'revise',
              issues: ['the fix is right but no test covers it'],
            },
          }
        : { content: { score: 0, verdict: 'reject', issues: ['the diff does not fix the subtraction'] } };
    }
    return {
      status: 400,
      message: `this scripted model answers nocturnal_explore, nocturnal_edits and nocturnal_review, not ${schema || 'free text'}`,
    };
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
