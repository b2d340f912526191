// How a scripted model answers `nocturnal_explore`, as a model would, from what the prompt shows: it reads
// the task (everything before the repository map) and the map, and asks for the files whose symbols share
// a word with the task (best matches first, at most three) and for those symbols. A prompt without a map
// gets empty lists. Nothing is known in advance: a map that does not show a file makes it unfindable.
import type { ScriptedReply } from './loopback-openai-server';

const MAX_FILES = 3;

export interface ExploreAnswer {
  files: string[];
  symbols: string[];
  reason: string;
}

export function exploreFromMap(prompt: string): ExploreAnswer {
  const mapAt = prompt.indexOf('# Repository map');
  if (mapAt < 0) return { files: [], symbols: [], reason: 'the prompt shows no repository map' };
  const taskWords = new Set(wordsOf(prompt.slice(0, mapAt)));
  const entries: { file: string; symbols: string[]; hits: number }[] = [];
  for (const line of prompt.slice(mapAt).split('\n').slice(1)) {
    if (line.trim() === '' || line.startsWith('#') || line.startsWith('(')) break;
    if (!line.startsWith(' ')) {
      entries.push({ file: line.trim(), symbols: [], hits: 0 });
      continue;
    }
    const entry = entries.at(-1);
    // `  function applyDiscount(total: number): number  [L1-3]`: the name is the word before `(`, `<`, `=` or `:`.
    const name = /(?:^|\s)([A-Za-z_$][\w$]*)\s*(?:[(<=:]|$)/.exec(line.replace(/\s+\[L[\d-]+\]$/, '').trim())?.[1];
    if (!entry || !name) continue;
    const hits = wordsOf(name).filter((w) => taskWords.has(w)).length;
    if (hits > 0) {
      entry.symbols.push(name);
      entry.hits += hits;
    }
  }
  const chosen = entries
    .filter((e) => e.hits > 0)
    .sort((a, b) => b.hits - a.hits)
    .slice(0, MAX_FILES);
  return {
    files: chosen.map((e) => e.file),
    symbols: [...new Set(chosen.flatMap((e) => e.symbols))].slice(0, 8),
    reason:
      chosen.length > 0
        ? `their symbols match the task: ${chosen.flatMap((e) => e.symbols).join(', ')}`
        : 'no symbol in the map matches the task',
  };
}

export function exploreReply(prompt: string): ScriptedReply {
  return { content: exploreFromMap(prompt) };
}

function wordsOf(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length >= 4);
}
