import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src-shared/config/schema';
import { ConfigError } from './config-error';
import type { ConfigProblem } from './config-error';
import { loadConfig, loadConfigDetailed } from './config-file';
import { envVariableName } from './env-overrides';
import { configLeaves } from './schema-walk';

let home: string;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'nocturnal-env-'));
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

function problemsOf(load: () => unknown): ConfigProblem[] {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

/** The leaves of the defaults as a value tree, found without the schema walk under test. */
function defaultLeaves(value: unknown, at: string[] = []): { path: string[]; value: unknown }[] {
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length > 0) {
    return Object.entries(value).flatMap(([key, child]) => defaultLeaves(child, [...at, key]));
  }
  return [{ path: at, value }];
}

/** How a user would write the value in the environment: lists comma-separated, the rest as text. */
function asEnvText(value: unknown): string {
  if (Array.isArray(value)) return value.join(',');
  if (value === null) return 'null';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

describe('NOCTURNAL_* overrides for every nested field', () => {
  it('every leaf of the schema has a variable, and setting it to the default round-trips', () => {
    const leaves = defaultLeaves(defaultConfig());
    const walked = configLeaves().map((leaf) => leaf.path.join('.'));
    expect(walked.sort()).toEqual(leaves.map((leaf) => leaf.path.join('.')).sort());
    const names = leaves.map((leaf) => envVariableName(...leaf.path));
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('NOCTURNAL_QUALITY_WEIGHTS_CHECKS');

    const env = Object.fromEntries(leaves.map((leaf) => [envVariableName(...leaf.path), asEnvText(leaf.value)]));
    const loaded = loadConfigDetailed({ home, env });
    expect(loaded.config).toEqual(defaultConfig());
    expect(loaded.overrides.map((o) => o.variable).sort()).toEqual([...names].sort());
  });

  it('sets a nested field and takes comma-separated lists', () => {
    const config = loadConfig({
      home,
      env: {
        NOCTURNAL_QUALITY_WEIGHTS_CHECKS: '0.7',
        NOCTURNAL_COST_ALERT_THRESHOLDS: '0.5, 0.9',
        NOCTURNAL_SAFETY_BLOCKED_COMMANDS: 'curl,wget *',
        NOCTURNAL_SAFETY_PROTECTED_PATHS: '[".env", "a,b/**"]',
        NOCTURNAL_COST_PRICES: '{gpt: {input_per_1k_usd: 0.01, output_per_1k_usd: 0.03}}',
        NOCTURNAL_LLM_MODEL_PATH: 'null',
      },
    });
    expect(config.quality.weights).toEqual({ checks: 0.7, progress: 0.15, review: 0.2, scope: 0.15 });
    expect(config.cost.alert_thresholds).toEqual([0.5, 0.9]);
    expect(config.safety.blocked_commands).toEqual(['curl', 'wget *']);
    expect(config.safety.protected_paths).toEqual(['.env', 'a,b/**']);
    expect(config.cost.prices).toEqual({ gpt: { input_per_1k_usd: 0.01, output_per_1k_usd: 0.03 } });
    expect(config.llm.model_path).toBeNull();
  });

  it('a nested override wins over the file and keeps its siblings from the file', () => {
    fs.writeFileSync(path.join(home, 'config.yaml'), 'quality:\n  weights:\n    checks: 0.4\n    review: 0.1\n');
    const config = loadConfig({ home, env: { NOCTURNAL_QUALITY_WEIGHTS_CHECKS: '0.6' } });
    expect(config.quality.weights).toEqual({ checks: 0.6, progress: 0.15, review: 0.1, scope: 0.15 });
  });

  it('names the variable and the field path for a bad nested value', () => {
    const problems = problemsOf(() => loadConfig({ home, env: { NOCTURNAL_QUALITY_WEIGHTS_CHECKS: 'heavy' } }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ path: 'quality.weights.checks', source: 'NOCTURNAL_QUALITY_WEIGHTS_CHECKS' });
    expect(problems[0]?.message).toContain('"heavy"');
  });

  it('names the variable and the element for a bad list item', () => {
    const problems = problemsOf(() => loadConfig({ home, env: { NOCTURNAL_COST_ALERT_THRESHOLDS: '0.5,lots' } }));
    expect(problems[0]).toMatchObject({ path: 'cost.alert_thresholds.1', source: 'NOCTURNAL_COST_ALERT_THRESHOLDS' });
  });

  it('refuses a misspelt nested variable and suggests the real one', () => {
    const problems = problemsOf(() => loadConfig({ home, env: { NOCTURNAL_QUALITY_WEIGHTS_CHEKS: '0.5' } }));
    expect(problems[0]?.source).toBe('NOCTURNAL_QUALITY_WEIGHTS_CHEKS');
    expect(problems[0]?.message).toContain('did you mean NOCTURNAL_QUALITY_WEIGHTS_CHECKS?');
  });

  it('names the variable when all weights set from the environment add up to nothing', () => {
    const env = {
      NOCTURNAL_QUALITY_WEIGHTS_CHECKS: '0',
      NOCTURNAL_QUALITY_WEIGHTS_PROGRESS: '0',
      NOCTURNAL_QUALITY_WEIGHTS_REVIEW: '0',
      NOCTURNAL_QUALITY_WEIGHTS_SCOPE: '0',
    };
    const problems = problemsOf(() => loadConfig({ home, env }));
    expect(problems[0]?.path).toBe('quality.weights');
    expect(problems[0]?.source).toMatch(/^NOCTURNAL_QUALITY_WEIGHTS_/);
  });
});
