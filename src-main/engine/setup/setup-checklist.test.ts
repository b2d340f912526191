import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../../src-shared/config/schema';
import { setupChecklist } from './setup-checklist';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});
function modelsDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nocturnal-models-'));
  dirs.push(dir);
  return dir;
}

describe('setupChecklist', () => {
  it('names each missing step with the one action that fixes it', () => {
    const config = configSchema.parse({ scheduler: { night_mode: false } });
    const list = setupChecklist({ config, modelsDir: modelsDir(), workspaceCount: 0 });
    expect(list.complete).toBe(false);
    expect(list.steps.map((s) => [s.id, s.done, s.missing])).toEqual([
      ['model', false, 'no model yet'],
      ['repository', false, 'no repository yet'],
      ['night', false, 'night mode is off'],
    ]);
    expect(list.steps[2]?.fix).toContain('nocturnal config set scheduler.night_mode true');
  });

  it('a catalog model chosen but not downloaded says which pull command brings it', () => {
    const config = configSchema.parse({ llm: { model_path: 'codellama-13b-instruct.Q4_K_M.gguf' } });
    const model = setupChecklist({ config, modelsDir: modelsDir(), workspaceCount: 1 }).steps[0];
    expect(model).toMatchObject({ done: false, missing: 'CodeLlama 13B Instruct (Q4_K_M) is not downloaded yet' });
    expect(model?.fix).toContain('nocturnal model pull codellama-13b-instruct');
  });

  it('is complete with a downloaded model (or a server), a repository and night mode on', () => {
    const dir = modelsDir();
    fs.writeFileSync(path.join(dir, 'm.gguf'), 'GGUF');
    const embedded = configSchema.parse({ llm: { model_path: 'm.gguf' } });
    expect(setupChecklist({ config: embedded, modelsDir: dir, workspaceCount: 1 }).complete).toBe(true);
    const server = configSchema.parse({ llm: { provider: 'openai' } });
    expect(setupChecklist({ config: server, modelsDir: dir, workspaceCount: 2 })).toEqual({
      complete: true,
      steps: [
        { id: 'model', done: true, missing: null, fix: null },
        { id: 'repository', done: true, missing: null, fix: null },
        { id: 'night', done: true, missing: null, fix: null },
      ],
    });
  });
});
