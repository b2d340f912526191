// explore-v1: the first, cheap call of an attempt (nocturnal_explore). The model sees the task and the
// repo map only, and names the files and symbols it wants to read before it edits; the engine adds them
// to the edit call's context. Short lists, short reason: the reply limit is small.
import type { PromptVersion, TaskBrief } from './prompt-types';
import { renderTaskBrief } from './prompt-types';

export interface ExplorePromptV1Input {
  task: TaskBrief;
  /** The repo map: files ranked by relevance, with their symbols' signatures and lines. */
  map: string;
}

export const explorePromptV1: PromptVersion<ExplorePromptV1Input> = {
  id: 'explore-v1',
  render(input) {
    const system = [
      'You are Nocturnal Agent, a careful software engineer about to change a git repository.',
      'Before you edit, choose what to read. You see the task and a map of the repository: files, most relevant first, with the signatures of their functions, classes and types.',
      'Reply with one JSON object matching the nocturnal_explore schema and nothing else:',
      '{"files": [string], "symbols": [string], "reason": string}',
      '- files: up to 8 repository paths from the map whose whole content you need (the code to change and the tests that pin it down).',
      '- symbols: up to 8 names of functions, classes or methods whose definition you need ("name", "Class.method" or "path:name").',
      '- reason: one sentence.',
      'Ask only for what the change needs; empty lists are fine when the task already shows enough.',
    ].join('\n');
    return [
      { role: 'system', content: system },
      { role: 'user', content: `${renderTaskBrief(input.task)}\n\n${input.map}` },
    ];
  },
};
