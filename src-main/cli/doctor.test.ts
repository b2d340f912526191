// `nocturnal doctor` on real homes: the real git, a real sandboxed command, a GGUF file read for real
// (and an HTML page saved as .gguf), the loopback OpenAI-compatible server serving (or not) the
// configured model, the disk the home is on, and the home's permissions.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startLoopbackOpenAiServer } from '../engine/llm/testing/loopback-openai-server';
import type { LoopbackOpenAiServer } from '../engine/llm/testing/loopback-openai-server';
import { buildGguf } from '../engine/models/testing/hand-made-gguf';
import { runCliCaptured } from './testing/run-cli-in-process';

let root: string;
let home: string;
let server: LoopbackOpenAiServer | undefined;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'nocturnal-doctor-test-'));
  home = path.join(root, 'home');
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  fs.rmSync(root, { recursive: true, force: true });
});

interface DoctorJson {
  ok: boolean;
  checks: { id: string; status: 'OK' | 'WARN' | 'FAIL'; message: string; fix: string | null }[];
}

const doctor = (env: NodeJS.ProcessEnv, ...flags: string[]) =>
  runCliCaptured(['--home', home, 'doctor', ...flags], { NOCTURNAL_SAFETY_MIN_FREE_DISK_GB: '0', ...env });
const byId = (json: DoctorJson) => Object.fromEntries(json.checks.map((c) => [c.id, c]));

async function initHome(): Promise<void> {
  expect((await runCliCaptured(['--home', home, 'init', '--yes'])).code).toBe(0);
}

describe('nocturnal doctor', () => {
  it('passes on a private home with a readable GGUF model, and runs a real sandboxed command', async () => {
    await initHome();
    const model = path.join(root, 'tiny.gguf');
    fs.writeFileSync(model, buildGguf());
    const run = await doctor({ NOCTURNAL_LLM_PROVIDER: 'llama', NOCTURNAL_LLM_MODEL_PATH: model });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^OK {4}config: .*config\.yaml and 3 NOCTURNAL_\* variables: valid$/);
    expect(lines).toContainEqual(expect.stringMatching(/^OK {4}git: git \d+\.\d+\.\d+ \(needs 2\.38\.0 or newer\)$/));
    expect(lines).toContainEqual(
      expect.stringMatching(/^OK {4}sandbox: bubblewrap works: ran a command in the sandbox in \d+ ms/),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(new RegExp(`^OK {4}model: ${model}: GGUF v3, llama, \\d+ tensors, 0\\.00 GB$`)),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(new RegExp(`^(OK|WARN) +disk: \\d+\\.\\d GB free on the disk of ${home}`)),
    );
    expect(lines).toContain(`OK    home: ${home} is private (0700)`);

    const json = (
      await doctor({ NOCTURNAL_LLM_PROVIDER: 'llama', NOCTURNAL_LLM_MODEL_PATH: model }, '--json')
    ).json<DoctorJson>();
    expect(json.ok).toBe(true);
    expect(json.checks.map((c) => c.id)).toEqual(['config', 'git', 'sandbox', 'model', 'disk', 'home']);
  });

  it('fails, with the fix, on a model file that is an HTML page, loose permissions warn, and exit is 1', async () => {
    await initHome();
    const model = path.join(root, 'model.gguf');
    fs.writeFileSync(model, '<!DOCTYPE html><html><body>Sign in to download</body></html>');
    fs.writeFileSync(path.join(home, 'nocturnal.db'), '');
    fs.chmodSync(home, 0o755);
    fs.chmodSync(path.join(home, 'nocturnal.db'), 0o644);
    const run = await doctor({ NOCTURNAL_LLM_PROVIDER: 'llama', NOCTURNAL_LLM_MODEL_PATH: model }, '--json');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('doctor: model failed');
    const checks = byId(run.json<DoctorJson>());
    expect(checks['model']).toMatchObject({
      status: 'FAIL',
      message: expect.stringContaining(`${model} is not a usable GGUF model`),
      fix: expect.stringContaining('nocturnal model pull'),
    });
    expect(checks['home']).toEqual({
      id: 'home',
      status: 'WARN',
      message: `${home} is 0755, readable by others (expected 0700); ${path.join(home, 'nocturnal.db')} is 0644 (expected 0600)`,
      fix: `chmod 700 ${home} && chmod 600 ${path.join(home, 'nocturnal.db')}`,
    });
  });

  it('checks that the configured server is reachable and serves the configured model', async () => {
    server = await startLoopbackOpenAiServer({
      models: ['test-model', 'other-model'],
      responder: () => ({ content: {} }),
    });
    const serving = await doctor(
      { NOCTURNAL_LLM_PROVIDER: 'openai', NOCTURNAL_LLM_API_URL: server.url, NOCTURNAL_LLM_MODEL: 'test-model' },
      '--json',
    );
    expect(byId(serving.json<DoctorJson>())['model']).toEqual({
      id: 'model',
      status: 'OK',
      message: `the server at ${server.url} serves "test-model"`,
      fix: null,
    });
    // The home does not exist yet: a warning, not a failure.
    expect(serving.code).toBe(0);
    expect(byId(serving.json<DoctorJson>())['home']).toMatchObject({
      status: 'WARN',
      fix: 'nocturnal init creates it (private, 0700)',
    });

    const missing = await doctor({
      NOCTURNAL_LLM_PROVIDER: 'openai',
      NOCTURNAL_LLM_API_URL: server.url,
      NOCTURNAL_LLM_MODEL: 'codellama-13b',
    });
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain(
      `FAIL  model: the server at ${server.url} answers but does not serve "codellama-13b" (it lists: test-model, other-model)`,
    );
    expect(missing.stdout).toContain(
      '      fix: load the model in the server, or choose one it lists: nocturnal config set llm.model test-model',
    );

    const url = server.url;
    await server.close();
    server = undefined;
    const down = await doctor({
      NOCTURNAL_LLM_PROVIDER: 'openai',
      NOCTURNAL_LLM_API_URL: url,
      NOCTURNAL_LLM_MODEL: 'test-model',
    });
    expect(down.code).toBe(1);
    expect(down.stdout).toContain(`FAIL  model: the server at ${url} is not reachable: `);
  });

  it('warns when the sandbox is off by choice, fails below the disk minimum, and names a bad config field', async () => {
    const run = await doctor(
      {
        NOCTURNAL_SAFETY_SANDBOX: 'off',
        NOCTURNAL_SAFETY_MIN_FREE_DISK_GB: '100000000',
        NOCTURNAL_LLM_PROVIDER: 'llama',
      },
      '--json',
    );
    expect(run.code).toBe(1);
    const checks = byId(run.json<DoctorJson>());
    expect(checks['sandbox']).toMatchObject({
      status: 'WARN',
      message: expect.stringContaining('safety.sandbox is off'),
    });
    expect(checks['disk']).toMatchObject({
      status: 'FAIL',
      message: expect.stringContaining('below safety.min_free_disk_gb (100000000 GB)'),
    });
    expect(checks['model']).toMatchObject({ status: 'FAIL', message: 'no model is chosen (llm.model_path is null)' });

    const bad = await doctor({ NOCTURNAL_SCHEDULER_START_TIME: '25:00' }, '--json');
    expect(bad.code).toBe(1);
    expect(byId(bad.json<DoctorJson>())['config']).toMatchObject({
      status: 'FAIL',
      message: expect.stringContaining('NOCTURNAL_SCHEDULER_START_TIME: scheduler.start_time'),
    });
  });
});
