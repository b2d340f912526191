// What stands between this home and an armed night: a model, a repository, night mode. `status`, the
// tray and the first-run flow all read this one list, and each missing step names the one action
// that fixes it, so no face has to guess what "not ready" means.
import fs from 'node:fs';
import type { Config } from '../../../src-shared/config/schema';
import { resolveModelFile } from '../llm/resolve-model-file';
import { modelCatalog } from '../models/catalog';
import type { SetupChecklist, SetupStep } from '../../../src-shared/domain/setup';

export type { SetupChecklist, SetupStep, SetupStepId } from '../../../src-shared/domain/setup';

export interface ChecklistInput {
  config: Config;
  modelsDir: string;
  workspaceCount: number;
}

export function setupChecklist(input: ChecklistInput): SetupChecklist {
  const steps = [
    modelStep(input.config, input.modelsDir),
    repositoryStep(input.workspaceCount),
    nightStep(input.config),
  ];
  return { complete: steps.every((s) => s.done), steps };
}

function modelStep(config: Config, modelsDir: string): SetupStep {
  const step = (missing: string | null, fix: string | null): SetupStep => ({
    id: 'model',
    done: missing === null,
    missing,
    fix,
  });
  if (config.llm.provider === 'openai') return step(null, null);
  if (config.llm.model_path === null) {
    return step(
      'no model yet',
      'run `nocturnal init` to use a server you already run (LM Studio, Ollama) or pull one with `nocturnal model pull NAME` (see `nocturnal model list`)',
    );
  }
  const file = resolveModelFile(config.llm.model_path, modelsDir);
  if (!fs.existsSync(file)) {
    const known = modelCatalog.find((m) => m.fileName === config.llm.model_path);
    const pull = known
      ? `pull it with \`nocturnal model pull ${known.id}\``
      : 'pull it with `nocturnal model pull URI`';
    return step(
      known ? `${known.title} is not downloaded yet` : `the model file ${file} is missing`,
      `${pull} or choose another with \`nocturnal model use NAME_OR_PATH\``,
    );
  }
  return step(null, null);
}

function repositoryStep(workspaceCount: number): SetupStep {
  if (workspaceCount > 0) return { id: 'repository', done: true, missing: null, fix: null };
  return {
    id: 'repository',
    done: false,
    missing: 'no repository yet',
    fix: 'add one with `nocturnal workspace add PATH`',
  };
}

function nightStep(config: Config): SetupStep {
  if (config.scheduler.night_mode) return { id: 'night', done: true, missing: null, fix: null };
  return {
    id: 'night',
    done: false,
    missing: 'night mode is off',
    fix: 'turn it on with `nocturnal config set scheduler.night_mode true` (or from the tray)',
  };
}
