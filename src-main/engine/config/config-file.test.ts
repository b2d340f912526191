import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src-shared/config/schema';
import { ConfigError } from './config-error';
import { loadConfig, loadConfigDetailed, setConfigValue, validateConfigText } from './config-file';
import { renderDefaultConfigYaml } from './default-config-yaml';

let home: string;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'nocturnal-config-'));
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

function writeConfig(text: string): void {
  fs.writeFileSync(path.join(home, 'config.yaml'), text);
}

function problemsOf(fn: () => unknown): ConfigError['problems'] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('uses the product defaults when there is no file', () => {
    const loaded = loadConfigDetailed({ home, env: {} });
    expect(loaded.fileExists).toBe(false);
    expect(loaded.config).toEqual(defaultConfig());
    expect(loaded.config.scheduler).toMatchObject({
      start_time: '22:00',
      end_time: '06:00',
      max_changes_per_night: 10,
      max_task_minutes: 30,
    });
    expect(loaded.config.quality).toMatchObject({
      auto_approve_threshold: 0.85,
      review_threshold: 0.7,
      max_improvement_cycles: 3,
    });
    expect(loaded.config.cost).toMatchObject({
      monthly_budget_usd: 10,
      alert_thresholds: [0.5, 0.8, 0.9, 0.95],
      free_tool_target_rate: 0.9,
    });
    expect(loaded.config.safety.max_file_changes).toBe(50);
  });

  it('accepts a partial file and fills the rest with defaults', () => {
    writeConfig('scheduler:\n  start_time: "23:15"\n');
    const config = loadConfig({ home, env: {} });
    expect(config.scheduler.start_time).toBe('23:15');
    expect(config.scheduler.end_time).toBe('06:00');
    expect(config.llm.provider).toBe('llama');
  });

  it('names the field, the bad value and the line of an invalid value', () => {
    writeConfig('llm:\n  provider: llama\nscheduler:\n  start_time: "25:00"\n');
    const problems = problemsOf(() => loadConfig({ home, env: {} }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ path: 'scheduler.start_time', source: 'config.yaml:4' });
    expect(problems[0]?.message).toContain('"25:00"');
    expect(problems[0]?.message).toContain('HH:MM');
  });

  it('refuses unknown keys and suggests the nearest valid one', () => {
    writeConfig('llm:\n  modle_path: /models/x.gguf\n');
    const problems = problemsOf(() => loadConfig({ home, env: {} }));
    expect(problems[0]).toMatchObject({ path: 'llm.modle_path', source: 'config.yaml:2' });
    expect(problems[0]?.message).toContain('did you mean "model_path"');
  });

  it('refuses an unknown section', () => {
    writeConfig('schedular:\n  start_time: "22:00"\n');
    const problems = problemsOf(() => loadConfig({ home, env: {} }));
    expect(problems[0]?.path).toBe('schedular');
    expect(problems[0]?.message).toContain('did you mean "scheduler"');
  });

  it('reports YAML syntax errors with their line', () => {
    writeConfig('llm:\n  provider: llama\n bad: [\n');
    const problems = problemsOf(() => loadConfig({ home, env: {} }));
    expect(problems[0]?.source).toMatch(/^config\.yaml:\d+$/);
    expect(problems[0]?.message).toContain('not valid YAML');
  });

  it('checks relations between fields', () => {
    writeConfig('quality:\n  auto_approve_threshold: 0.6\n  review_threshold: 0.8\n');
    const problems = problemsOf(() => loadConfig({ home, env: {} }));
    expect(problems[0]?.path).toBe('quality.review_threshold');
  });
});

describe('environment overrides', () => {
  it('override a file value and are coerced by the schema', () => {
    writeConfig('scheduler:\n  start_time: "21:00"\n');
    const config = loadConfig({
      home,
      env: {
        NOCTURNAL_SCHEDULER_START_TIME: '23:30',
        NOCTURNAL_QUALITY_AUTO_APPROVE_THRESHOLD: '0.9',
        NOCTURNAL_SCHEDULER_NIGHT_MODE: 'false',
        NOCTURNAL_LLM_MODEL: '123',
        NOCTURNAL_SAFETY_PROTECTED_PATHS: '[".env", "secrets/**"]',
        NOCTURNAL_LLM_GPU: 'false',
      },
    });
    expect(config.scheduler.start_time).toBe('23:30');
    expect(config.quality.auto_approve_threshold).toBe(0.9);
    expect(config.scheduler.night_mode).toBe(false);
    expect(config.llm.model).toBe('123');
    expect(config.safety.protected_paths).toEqual(['.env', 'secrets/**']);
    expect(config.llm.gpu).toBe(false);
  });

  it('exist for every field of every section', async () => {
    const { sectionFields } = await import('./schema-walk');
    const { envVariableName } = await import('./env-overrides');
    const names = sectionFields().map((f) => envVariableName(f.section, f.field));
    expect(names).toContain('NOCTURNAL_LLM_API_URL');
    expect(names).toContain('NOCTURNAL_NOTIFICATIONS_ENABLED');
    expect(names.length).toBeGreaterThan(50);
  });

  it('name the variable and field when the value is unusable', () => {
    const problems = problemsOf(() => loadConfig({ home, env: { NOCTURNAL_QUALITY_AUTO_APPROVE_THRESHOLD: 'high' } }));
    expect(problems[0]).toMatchObject({
      path: 'quality.auto_approve_threshold',
      source: 'NOCTURNAL_QUALITY_AUTO_APPROVE_THRESHOLD',
    });
    expect(problems[0]?.message).toContain('"high"');
  });

  it('refuse a misspelt variable instead of ignoring it', () => {
    const problems = problemsOf(() => loadConfig({ home, env: { NOCTURNAL_SCHEDULER_START_TIEM: '23:00' } }));
    expect(problems[0]?.message).toContain('NOCTURNAL_SCHEDULER_START_TIME');
  });
});

describe('the default config file', () => {
  it('is valid, commented and equal to the defaults', () => {
    const text = renderDefaultConfigYaml();
    expect(text).toContain('# when the night window opens');
    expect(validateConfigText(text)).toEqual(defaultConfig());
  });
});

describe('setConfigValue', () => {
  it('edits one field, keeps comments and validates', () => {
    writeConfig('# my settings\nscheduler:\n  # keep this\n  night_mode: true\n');
    const config = setConfigValue(home, ['scheduler', 'night_mode'], false);
    expect(config.scheduler.night_mode).toBe(false);
    const text = fs.readFileSync(path.join(home, 'config.yaml'), 'utf8');
    expect(text).toContain('# keep this');
    expect(text).toContain('night_mode: false');
  });

  it('refuses an invalid value and leaves the file as it was', () => {
    writeConfig('scheduler:\n  night_mode: true\n');
    expect(() => setConfigValue(home, ['scheduler', 'start_time'], '99:99')).toThrow(ConfigError);
    expect(fs.readFileSync(path.join(home, 'config.yaml'), 'utf8')).toBe('scheduler:\n  night_mode: true\n');
  });
});

describe('llm.context_size and llm.max_tokens', () => {
  it('default to auto, and take auto or a number from the file and the environment', () => {
    expect(defaultConfig().llm).toMatchObject({ context_size: 'auto', max_tokens: 'auto' });
    writeConfig('llm:\n  context_size: 8192\n  max_tokens: auto\n');
    expect(loadConfig({ home, env: {} }).llm).toMatchObject({ context_size: 8192, max_tokens: 'auto' });
    expect(
      loadConfig({ home, env: { NOCTURNAL_LLM_CONTEXT_SIZE: 'auto', NOCTURNAL_LLM_MAX_TOKENS: '1500' } }).llm,
    ).toMatchObject({ context_size: 'auto', max_tokens: 1500 });
  });

  it('refuse anything else, naming the field and what is expected', () => {
    writeConfig('llm:\n  context_size: big\n  max_tokens: 0\n');
    const problems = problemsOf(() => loadConfig({ home, env: {} }));
    expect(problems.find((p) => p.path === 'llm.context_size')?.message).toContain(
      'expected "auto" or a number of tokens of at least 512',
    );
    // A number out of range is told as such by the number's own rule.
    expect(problems.find((p) => p.path === 'llm.max_tokens')?.message).toContain('expected number to be >0');
  });
});
