// `nocturnal model …` end to end: a commander program built the way main.ts builds it (until the lead
// registers the commands there), a real home, and a loopback server standing in for the hub.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Command, CommanderError } from 'commander';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureTinyModel } from '../../../scripts/tiny-model-fixture';
import { loadConfig } from '../../engine/config/config-file';
import { isUserInputError } from '../../engine/errors/nocturnal-error';
import { createTempDir } from '../../engine/git/testing/temp-repo';
import type { ModelList } from '../../engine/models/model-manager';
import { silentLogger } from '../../engine/log/logger';
import { downloadModel } from '../../engine/models/model-downloader';
import { startModelFileServer } from '../../engine/models/testing/model-file-server';
import type { ModelFileServer } from '../../engine/models/testing/model-file-server';
import { buildLargeGguf } from '../../engine/models/testing/split-gguf';
import { CliContext } from '../cli-context';
import type { CliIo } from '../cli-io';
import { registerModelCommands } from './model-commands';

const codellamaFile = 'codellama-13b-instruct.Q4_K_M.gguf';

let tiny: Buffer;
let tinyPath: string;
let home: { path: string; cleanup(): Promise<void> };
let hub: ModelFileServer;

beforeAll(async () => {
  tinyPath = await ensureTinyModel();
  tiny = await readFile(tinyPath);
});
beforeEach(async () => {
  home = await createTempDir('nocturnal-model-cli-');
  hub = await startModelFileServer({
    [`/TheBloke/CodeLlama-13B-Instruct-GGUF/resolve/main/${codellamaFile}`]: { body: tiny },
  });
});
afterEach(async () => {
  await hub.close();
  await home.cleanup();
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Mirrors runCli's wiring and exit codes (0 ok, 1 runtime, 2 usage/validation). */
async function model(
  argv: string[],
  options: { env?: NodeJS.ProcessEnv; interactive?: boolean; stderrIsTty?: boolean } = {},
): Promise<Run> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const io: CliIo = {
    stdout,
    stderr,
    env: { HF_ENDPOINT: hub.url, ...options.env },
    cwd: home.path,
    interactive: options.interactive ?? false,
    stderrIsTty: options.stderrIsTty ?? false,
  };
  const program = new Command().option('--home <dir>').option('-v, --verbose');
  let context: CliContext | undefined;
  registerModelCommands(program, () => (context ??= new CliContext(io, program)));
  const quiet = (command: Command) => {
    command.exitOverride().configureOutput({ writeOut: (t) => stdout.write(t), writeErr: (t) => stderr.write(t) });
    command.commands.forEach(quiet);
  };
  quiet(program);
  let code = 0;
  try {
    await program.parseAsync(['--home', home.path, 'model', ...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) code = error.exitCode === 0 ? 0 : 2;
    else {
      stderr.write(`nocturnal: ${(error as Error).message}\n`);
      code = isUserInputError(error) ? 2 : 1;
    }
  } finally {
    await context?.close();
  }
  return { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
}

describe('nocturnal model list', () => {
  it('shows the catalog with the default marked and no model chosen', async () => {
    const run = await model(['list']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('llm.model_path: (not set: nocturnal model use NAME)');
    expect(run.stdout).toMatch(/codellama-13b-instruct\s+~7\.9 GB\s+~12\.0 GB\s+\? \/ 16384\s+not installed, default/);
    expect(run.stdout).toContain('qwen2.5-coder-14b-instruct');
    // The better choices are explained beside the default.
    expect(run.stdout).toContain('The Qwen2.5-Coder models below edit code better for the memory');
    expect(run.stdout).toContain('best pick for 8–16 GB machines');
  });

  it('prints JSON with --json', async () => {
    const run = await model(['list', '--json']);
    const list = JSON.parse(run.stdout) as ModelList;
    expect(list).toMatchObject({ modelsDir: join(home.path, 'models'), modelPath: null, provider: 'llama' });
    expect(list.models[0]).toMatchObject({ name: 'codellama-13b-instruct', installed: false, inUse: false });
  });
});

describe('nocturnal model pull', () => {
  it('downloads a catalog model with plain progress lines and hints at `model use`', async () => {
    const run = await model(['pull', 'codellama-13b-instruct']);
    expect(run.code, run.stderr).toBe(0);
    const saved = join(home.path, 'models', codellamaFile);
    expect(run.stdout).toContain(`saved ${saved} (657 KB, GGUF v3, llama "nocturnal-tiny", trained context 4096)`);
    expect(run.stdout).toContain('next: nocturnal model use codellama-13b-instruct');
    expect(run.stderr).toContain(`pulling codellama-13b-instruct (about 7.9 GB) from ${hub.url}/TheBloke/`);
    expect(run.stderr).toContain(`${codellamaFile}: 100% (657 KB / 657 KB`);
    expect(run.stderr).toContain(`verifying ${codellamaFile}`);
    expect(run.stderr).not.toContain('\r');
    expect((await readFile(saved)).equals(tiny)).toBe(true);

    const again = await model(['pull', 'codellama-13b-instruct']);
    expect(again.stdout).toContain(`codellama-13b-instruct is already installed: ${saved}`);
  });

  it('draws a bar when stderr is a terminal (without colour under NO_COLOR)', async () => {
    const run = await model(['pull', 'codellama-13b-instruct'], { stderrIsTty: true, env: { NO_COLOR: '1' } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/\r\S+ █{30} 100% {2}657 KB \/ 657 KB/);
    expect(run.stderr).not.toContain('\x1b[3');
  });

  it('exits 2 with a clear message on 404 (the file named does not exist) and on a malformed source', async () => {
    const missing = await model(['pull', 'hf:someone/nothing/missing.gguf']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(
      `nocturnal: hf:someone/nothing/missing.gguf does not exist (HTTP 404 from ${hub.url}/someone/nothing/resolve/main/missing.gguf)`,
    );
    const malformed = await model(['pull', 'definitely-not-a-model']);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('hf:USER/REPO/FILE.gguf');
  });

  it('resumes a download an interruption left in the models folder', async () => {
    // The first attempt, cut by the user once the first 5 MiB chunk was in (as Ctrl-C does).
    const big = buildLargeGguf(12 * 1024 * 1024);
    hub.serve('/u/r/resolve/main/big.gguf', { body: big, stallFrom: 5 * 1024 * 1024 + 1000 });
    const controller = new AbortController();
    const interrupted = await downloadModel({
      uri: 'hf:u/r/big.gguf',
      probeUrl: `${hub.url}/u/r/resolve/main/big.gguf`,
      fileName: 'big.gguf',
      modelsDir: join(home.path, 'models'),
      hubUrl: hub.url,
      log: silentLogger(),
      signal: controller.signal,
      onProgress: (p) => {
        if (p.bytesDone >= 5 * 1024 * 1024) setTimeout(() => controller.abort(), 300);
      },
    }).catch((e: unknown) => e as Error);
    expect((interrupted as Error).message).toContain('pull again to resume');
    const listed = await model(['list']);
    expect(listed.stdout).toMatch(/big\.gguf .*not installed, \d+\.\d MB partly downloaded: pull to resume/);

    hub.serve('/u/r/resolve/main/big.gguf', { body: big });
    const second = await model(['pull', 'hf:u/r/big.gguf']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/resuming big\.gguf at [5-9]\.\d MB/);
    expect((await readFile(join(home.path, 'models', 'big.gguf'))).equals(big)).toBe(true);
    expect(second.stdout).toContain('next: nocturnal model use big.gguf');
  });
});

describe('nocturnal model use', () => {
  it('writes llm.model_path and marks the model in use', async () => {
    await model(['pull', 'codellama-13b-instruct']);
    const run = await model(['use', 'codellama-13b-instruct']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`llm.model_path: ${codellamaFile} (written to ${join(home.path, 'config.yaml')})`);
    expect(loadConfig({ home: home.path, env: {} }).llm.model_path).toBe(codellamaFile);
    const list = await model(['list']);
    expect(list.stdout).toMatch(
      /\*\s+codellama-13b-instruct .* 4096 \/ 4096 +installed, fits this machine, in use, default/,
    );
    // The context and reply sizes auto resolves to, from the installed file's own header.
    expect(list.stdout).toContain(
      "context: llm.context_size auto: 4096, the model's trained context; llm.max_tokens auto: 1024 (a quarter of it)",
    );
  });

  it('accepts a path outside the models folder and warns about overrides and the provider', async () => {
    const run = await model(['use', tinyPath], {
      env: {
        NOCTURNAL_LLM_MODEL_PATH: '/x.gguf',
        NOCTURNAL_LLM_PROVIDER: 'openai',
        NOCTURNAL_LLM_CONTEXT_SIZE: '8192',
      },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`llm.model_path: ${tinyPath}`);
    expect(run.stderr).toContain('warning: NOCTURNAL_LLM_MODEL_PATH is set');
    expect(run.stderr).toContain('note: llm.provider is openai');
    expect(run.stderr).toContain('llm.context_size 8192 is more than the 4096 tokens');
  });

  it('exits 2 for a missing model and for a file that is not GGUF', async () => {
    const missing = await model(['use', 'nothing']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no model "nothing"');
    await writeFile(join(home.path, 'notes.gguf'), 'just text');
    const invalid = await model(['use', './notes.gguf']);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('is not a usable GGUF model');
    expect(loadConfig({ home: home.path, env: {} }).llm.model_path).toBeNull();
  });
});

describe('nocturnal model remove', () => {
  it('deletes a model from the models folder', async () => {
    await model(['pull', 'codellama-13b-instruct']);
    const run = await model(['remove', 'codellama-13b-instruct']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`removed ${join(home.path, 'models', codellamaFile)}`);
    const again = await model(['remove', 'codellama-13b-instruct']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('codellama');
  });
});
