import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../src-shared/api/dispatch';
import type { NightModeState } from '../../src-shared/api/channels';
import { createApiHandlers } from './api-handlers';
import { createConfigState } from './config-state';
import { describeError } from '../engine/api/describe-error';

let home: string;

beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'nocturnal-app-'));
});

afterEach(() => {
  fs.rmSync(home, { recursive: true, force: true });
});

function handlersFor(env: NodeJS.ProcessEnv = {}) {
  const config = createConfigState({ home, env });
  const handlers = createApiHandlers({
    config,
    info: () => ({ productName: 'Nocturnal Agent', version: '0.1.0', platform: process.platform, home, host: 'electron' }),
  });
  return { config, call: (channel: string, payload: unknown) => dispatch(channel, payload, handlers, describeError) };
}

describe('night mode through the API handlers', () => {
  it('reads the defaults when there is no config.yaml yet', async () => {
    const { call } = handlersFor();
    expect(await call('nightMode:get', {})).toEqual({
      data: { enabled: true, window: { startTime: '22:00', endTime: '06:00', timezone: 'local' } },
    });
  });

  it('writes scheduler.night_mode in place, keeps comments, and tells listeners', async () => {
    const file = path.join(home, 'config.yaml');
    fs.writeFileSync(file, '# my settings\nscheduler:\n  # late nights only\n  start_time: "23:30"\n  night_mode: true\n');
    const { config, call } = handlersFor();
    const heard: NightModeState[] = [];
    config.onNightModeChange((state) => heard.push(state));

    const result = await call('nightMode:set', { enabled: false });

    expect(result).toEqual({ data: { enabled: false, window: { startTime: '23:30', endTime: '06:00', timezone: 'local' } } });
    expect(heard).toEqual([{ enabled: false, window: { startTime: '23:30', endTime: '06:00', timezone: 'local' } }]);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain('# late nights only');
    expect(text).toMatch(/night_mode: false/);
    expect(await call('config:get', {})).toMatchObject({ data: { scheduler: { night_mode: false, start_time: '23:30' } } });
  });

  it('refuses to switch when an environment variable decides, and leaves the file alone', async () => {
    const { call } = handlersFor({ NOCTURNAL_SCHEDULER_NIGHT_MODE: 'true' });
    const result = await call('nightMode:set', { enabled: false });
    expect(result).toEqual({ error: { type: 'conflict', message: expect.stringContaining('NOCTURNAL_SCHEDULER_NIGHT_MODE') } });
    expect(fs.existsSync(path.join(home, 'config.yaml'))).toBe(false);
  });

  it('answers an invalid config.yaml with a validation error naming the field', async () => {
    fs.writeFileSync(path.join(home, 'config.yaml'), 'scheduler:\n  start_time: "25:99"\n');
    const { call } = handlersFor();
    expect(await call('nightMode:get', {})).toEqual({
      error: { type: 'validation', message: expect.stringContaining('scheduler.start_time') },
    });
  });
});
