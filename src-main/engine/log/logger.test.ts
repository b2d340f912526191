import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DailyFileStream } from './daily-file-stream';
import { createHomeLogRoot } from './home-log-root';
import { createLogRoot } from './logger';
import { createRedactor, redactText } from './redact';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nocturnal-logs-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function captureRoot(redactor = createRedactor()) {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().trim().split('\n'));
      done();
    },
  });
  const root = createLogRoot({ level: 'debug', destinations: [{ stream }], redactor });
  return { root, records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('subsystem loggers', () => {
  it('mask the configured key wherever it appears, in every structured field at any depth', () => {
    const key = 'plain-looking-key-4c1d9e';
    const { root, records } = captureRoot(createRedactor([key]));
    root.createLogger('llm').warn(
      {
        err: `Incorrect API key provided: ${key}`,
        deep: { list: [`a ${key} b`], error: new Error(`401 ${key}`) },
        client_secret: 'anything at all',
      },
      `model call failed: ${key}`,
    );
    const line = JSON.stringify(records()[0]);
    expect(line).not.toContain(key);
    expect(records()[0]).toMatchObject({
      err: 'Incorrect API key provided: [REDACTED]',
      deep: { list: ['a [REDACTED] b'], error: { message: '401 [REDACTED]' } },
      client_secret: '[REDACTED]',
      msg: 'model call failed: [REDACTED]',
    });
  });

  it('carry the subsystem and session/task/attempt context on every line', () => {
    const { root, records } = captureRoot();
    const log = root.createLogger('scheduler', { session_id: 's1' }).child({ task_id: 't1', attempt_id: 't1-1' });
    log.info({ score: 0.9 }, 'attempt scored');
    expect(records()[0]).toMatchObject({
      subsystem: 'scheduler',
      session_id: 's1',
      task_id: 't1',
      attempt_id: 't1-1',
      score: 0.9,
      msg: 'attempt scored',
      level: 'info',
    });
  });

  it('redact secrets in fields, headers and free text', () => {
    const { root, records } = captureRoot();
    root
      .createLogger('llm')
      .info(
        { apiKey: 'sk-abcdefghijklmnopqrstuvwx', request: { headers: { authorization: 'Bearer abcdefghijklmnop' } } },
        'calling with key sk-abcdefghijklmnopqrstuvwx and token=hunter2hunter2',
      );
    const text = JSON.stringify(records()[0]);
    expect(text).not.toContain('abcdefghijklmnop');
    expect(text).not.toContain('hunter2');
    expect(text).toContain('[REDACTED]');
  });
});

describe('redactText', () => {
  it.each([
    ['Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig', 'eyJhbGci'],
    ['OPENAI_API_KEY=sk-proj-0123456789abcdefghij', 'sk-proj-0123'],
    ['token ghp_0123456789abcdefghijABCDEFGHIJ here', 'ghp_0123'],
    ['hf_abcdefghijklmnopqrstuvwxyz0123', 'hf_abcdef'],
    ['password: "correct horse battery"', 'correct'],
    ['-----BEGIN RSA PRIVATE KEY-----\nMIIabc\n-----END RSA PRIVATE KEY-----', 'MIIabc'],
  ])('removes the secret from %j', (input, secret) => {
    expect(redactText(input)).not.toContain(secret);
  });

  it('leaves ordinary text alone', () => {
    expect(redactText('merged 3 files into nocturnal/integration')).toBe('merged 3 files into nocturnal/integration');
  });
});

describe('log files', () => {
  it('write JSON lines to a dated file under the logs folder', async () => {
    const root = createHomeLogRoot({ logsDir: dir, level: 'info', retentionDays: 7 });
    root.createLogger('store').info('opened');
    await root.close();
    const files = fs.readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^nocturnal-\d{4}-\d{2}-\d{2}\.jsonl$/);
    const line = JSON.parse(fs.readFileSync(path.join(dir, files[0] ?? ''), 'utf8').trim()) as Record<string, unknown>;
    expect(line).toMatchObject({ subsystem: 'store', msg: 'opened' });
  });

  it('switch files when the day changes and delete files past retention', () => {
    let now = new Date(2026, 0, 10, 23, 59);
    fs.writeFileSync(path.join(dir, 'nocturnal-2025-12-01.jsonl'), '{}\n');
    fs.writeFileSync(path.join(dir, 'unrelated.txt'), 'keep');
    const stream = new DailyFileStream(dir, 14, () => now);
    stream.write('{"a":1}\n');
    now = new Date(2026, 0, 11, 0, 1);
    stream.write('{"b":2}\n');
    stream.close();
    expect(fs.readdirSync(dir).sort()).toEqual([
      'nocturnal-2026-01-10.jsonl',
      'nocturnal-2026-01-11.jsonl',
      'unrelated.txt',
    ]);
  });
});

describe('console output', () => {
  function consoleCapture() {
    const text: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        text.push(chunk.toString());
        done();
      },
    });
    return { stream, text: () => text.join('') };
  }

  it('prints readable lines at its level only, redacted, and nothing for a run that logs below it', async () => {
    const quiet = consoleCapture();
    const silentRoot = createHomeLogRoot({
      logsDir: null,
      level: 'info',
      retentionDays: 7,
      console: { stream: quiet.stream, level: 'warn' },
    });
    silentRoot.createLogger('engine').info('engine started');
    await silentRoot.close();
    expect(quiet.text()).toBe('');

    const shown = consoleCapture();
    const key = 'console-key-77a1';
    const root = createHomeLogRoot({
      logsDir: null,
      level: 'info',
      retentionDays: 7,
      console: { stream: shown.stream, level: 'warn' },
      redactor: createRedactor([key]),
    });
    const log = root.createLogger('resources', { session_id: 's1' });
    log.info('below the console level');
    log.warn({ err: new Error(`refused ${key}`) }, `memory is low: ${key}`);
    log.error('disk is full');
    await root.close();
    const lines = shown.text().split('\n');
    expect(lines[0]).toMatch(/^\[\d{2}:\d{2}:\d{2}\] WARN: resources: memory is low: \[REDACTED\]$/);
    expect(shown.text()).toContain('refused [REDACTED]');
    expect(shown.text()).not.toContain(key);
    expect(shown.text()).not.toContain('below the console level');
    expect(shown.text()).not.toContain('session_id');
    expect(lines.filter((l) => /^\[\d{2}:\d{2}:\d{2}\] ERROR: resources: disk is full$/.test(l))).toHaveLength(1);
  });
});
