import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliCaptured } from './testing/run-cli-in-process';

let home: string;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'nocturnal-cli-'));
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

const configFile = () => path.join(home, 'config.yaml');

describe('nocturnal init and config', () => {
  it('init writes a commented config that validates, and never overwrites', async () => {
    const init = await runCliCaptured(['--home', home, 'init']);
    expect(init.code).toBe(0);
    const text = fs.readFileSync(configFile(), 'utf8');
    expect(text).toMatch(/^# Nocturnal Agent configuration/);
    expect((await runCliCaptured(['--home', home, 'config', 'validate'])).code).toBe(0);

    fs.writeFileSync(configFile(), 'scheduler:\n  start_time: "21:00"\n');
    const again = await runCliCaptured(['--home', home, 'init']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('left unchanged');
    expect(fs.readFileSync(configFile(), 'utf8')).toBe('scheduler:\n  start_time: "21:00"\n');
  });

  it('config validate exits 2 naming an invalid field', async () => {
    fs.writeFileSync(configFile(), 'scheduler:\n  start_time: "25:00"\n');
    const run = await runCliCaptured(['--home', home, 'config', 'validate']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('scheduler.start_time');
    expect(run.stderr).toContain('config.yaml:2');
  });

  it('config validate exits 2 naming an unknown key', async () => {
    fs.writeFileSync(configFile(), 'llm:\n  modle_path: /m.gguf\n');
    const run = await runCliCaptured(['--home', home, 'config', 'validate']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('llm.modle_path');
    expect(run.stderr).toContain('model_path');
  });

  it('config show --json applies environment overrides', async () => {
    const run = await runCliCaptured(['--home', home, 'config', 'show', '--json'], {
      NOCTURNAL_SCHEDULER_START_TIME: '23:30',
    });
    expect(run.code).toBe(0);
    expect(run.json<{ scheduler: { start_time: string } }>().scheduler.start_time).toBe('23:30');
  });

  it('config show prints nested fields and marks each value the environment set', async () => {
    const run = await runCliCaptured(['--home', home, 'config', 'show'], {
      NOCTURNAL_QUALITY_WEIGHTS_CHECKS: '0.6',
      NOCTURNAL_SAFETY_BLOCKED_COMMANDS: 'curl,wget',
    });
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines).toContain('  weights:');
    expect(lines).toContain('    checks: 0.6  # from NOCTURNAL_QUALITY_WEIGHTS_CHECKS');
    expect(lines).toContain('    review: 0.2');
    expect(lines).toContain('  blocked_commands: ["curl","wget"]  # from NOCTURNAL_SAFETY_BLOCKED_COMMANDS');
    expect(lines).toContain('  start_time: "22:00"');
  });

  it('a bad nested value in the environment exits 2 naming the variable and the field', async () => {
    const run = await runCliCaptured(['--home', home, 'config', 'show'], { NOCTURNAL_QUALITY_WEIGHTS_CHECKS: 'heavy' });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('NOCTURNAL_QUALITY_WEIGHTS_CHECKS: quality.weights.checks');
  });

  it('a non-numeric threshold in the environment exits 2 naming the field', async () => {
    const run = await runCliCaptured(['--home', home, 'config', 'show', '--json'], {
      NOCTURNAL_QUALITY_AUTO_APPROVE_THRESHOLD: 'lots',
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('quality.auto_approve_threshold');
    expect(run.stderr).toContain('NOCTURNAL_QUALITY_AUTO_APPROVE_THRESHOLD');
  });

  it('config path honours NOCTURNAL_HOME', async () => {
    const run = await runCliCaptured(['config', 'path'], { NOCTURNAL_HOME: home });
    expect(run.stdout.trim()).toBe(path.join(home, 'config.yaml'));
  });

  it('usage errors exit 2 and --help exits 0', async () => {
    expect((await runCliCaptured(['--home', home, 'frobnicate'])).code).toBe(2);
    expect((await runCliCaptured(['--home', home, 'task', 'add'])).code).toBe(2);
    const help = await runCliCaptured(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: nocturnal');
  });

  it('the installed bin runs from a checkout (npx nocturnal)', () => {
    const bin = path.resolve(__dirname, '../../bin/nocturnal.js');
    const result = spawnSync(process.execPath, [bin, '--home', home, 'config', 'path'], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe(path.join(home, 'config.yaml'));
  });
});
