// A complete night for tests: a temporary home, a real git repository with a tiny Node project and
// its own test script, and a loopback OpenAI-compatible server whose replies each scenario scripts.
import fs from 'node:fs';
import path from 'node:path';
import { snapshotCheckout } from '../../engine/git/testing/checkout-snapshot';
import type { CheckoutSnapshot } from '../../engine/git/testing/checkout-snapshot';
import { createTempDir, createTempRepo } from '../../engine/git/testing/temp-repo';
import type { TempRepo } from '../../engine/git/testing/temp-repo';
import { exploreReply } from '../../engine/llm/testing/explore-from-map';
import { startLoopbackOpenAiServer } from '../../engine/llm/testing/loopback-openai-server';
import type {
  LoopbackOpenAiServer,
  RecordedRequest,
  ScriptedReply,
} from '../../engine/llm/testing/loopback-openai-server';
import { runCliCaptured } from './run-cli-in-process';
import type { CliRun } from './run-cli-in-process';

export const buggyMath =
  'function add(a, b) {\n  return a - b;\n}\n\nfunction mul(a, b) {\n  return a * b;\n}\n\nmodule.exports = { add, mul };\n';
export const mathTest = [
  "const assert = require('node:assert');",
  "const { add, mul } = require('./math.js');",
  'assert.strictEqual(mul(2, 3), 6);',
  'assert.strictEqual(add(2, 3), 5);',
  "console.log('all tests passed');",
  '',
].join('\n');

export interface NightFixture {
  home: string;
  repo: TempRepo;
  server: LoopbackOpenAiServer;
  env: NodeJS.ProcessEnv;
  cli(...argv: string[]): Promise<CliRun>;
  /** The user's checkout as the engine must leave it (attempt branches and the target excluded). */
  userView(): Promise<CheckoutSnapshot>;
  cleanup(): Promise<void>;
}

export type Responder = (schema: string, prompt: string, request: RecordedRequest) => ScriptedReply;

export interface NightFixtureOptions {
  respond: Responder;
  files?: Record<string, string>;
  env?: NodeJS.ProcessEnv;
  /**
   * Who answers `nocturnal_explore`: by default the fixture, from the repo map in the prompt
   * (explore-from-map.ts), so a scenario scripts only the calls it is about; `respond` hands it to the
   * scenario's own responder.
   */
  explore?: 'from-map' | 'respond';
}

export async function createNightFixture(options: NightFixtureOptions): Promise<NightFixture> {
  const homeDir = await createTempDir('nocturnal-home-');
  const repo = await createTempRepo({
    files: options.files ?? { 'math.js': buggyMath, 'test.js': mathTest, 'README.md': '# calc\n' },
  });
  // The user's own state, which must survive every night untouched: uncommitted work, an untracked
  // file, a stash entry and a hook.
  await repo.write({ 'notes.txt': 'my scratch notes\n' });
  await repo.write({ 'README.md': '# calc\n\nwork in progress\n' });
  await repo.git('stash', 'push', '--include-untracked', '-m', 'user stash');
  await repo.write({ 'README.md': '# calc\n\nuncommitted edit\n', 'scratch.txt': 'untracked\n' });
  fs.writeFileSync(
    path.join(repo.path, '.git', 'hooks', 'pre-commit'),
    '#!/bin/sh\necho "user hook ran" > /tmp/nocturnal-user-hook-ran\nexit 1\n',
    { mode: 0o755 },
  );

  const server = await startLoopbackOpenAiServer({
    models: ['test-model'],
    responder: (request) => {
      const schema = request.body.response_format?.json_schema?.name ?? 'unknown';
      const prompt = (request.body.messages ?? []).map((m) => m.content).join('\n');
      if (schema === 'nocturnal_explore' && options.explore !== 'respond') return exploreReply(prompt);
      return options.respond(schema, prompt, request);
    },
  });
  const env: NodeJS.ProcessEnv = {
    NOCTURNAL_LLM_PROVIDER: 'openai',
    NOCTURNAL_LLM_API_URL: server.url,
    NOCTURNAL_LLM_MODEL: 'test-model',
    NOCTURNAL_LLM_MAX_RETRIES: '1',
    NOCTURNAL_LLM_TIMEOUT_S: '20',
    NOCTURNAL_QUALITY_MAX_IMPROVEMENT_CYCLES: '1',
    // The test machine itself is busy running tests: resource gating is covered by its own tests.
    NOCTURNAL_SAFETY_MAX_CPU_PERCENT: '100',
    NOCTURNAL_SAFETY_MAX_MEMORY_PERCENT: '100',
    NOCTURNAL_SAFETY_MIN_FREE_DISK_GB: '0',
    NOCTURNAL_SAFETY_PAUSE_ON_BATTERY: 'false',
    ...options.env,
  };
  const cli = (...argv: string[]) => runCliCaptured(['--home', homeDir.path, ...argv], env);
  const userView = async () => {
    const snapshot = await snapshotCheckout(repo.path);
    snapshot.branches = Object.fromEntries(
      Object.entries(snapshot.branches).filter(([ref]) => !ref.startsWith('refs/heads/nocturnal/')),
    );
    return snapshot;
  };
  return {
    home: homeDir.path,
    repo,
    server,
    env,
    cli,
    userView,
    async cleanup() {
      await server.close();
      await repo.cleanup();
      await homeDir.cleanup();
    },
  };
}

export function editsReply(edits: object[], summary = 'change'): ScriptedReply {
  return { content: { summary, edits } };
}

export function reviewReply(
  score: number,
  verdict: 'approve' | 'revise' | 'reject' = 'approve',
  issues: string[] = [],
): ScriptedReply {
  return { content: { score, verdict, issues } };
}

/**
 * What a night on the random-weight tiny model printed to stderr beyond the one thing it may: the
 * engine's warning that a model call failed and was handled. Nonsense can run past max_tokens, and
 * its prompt holds the run's ids, so which reply comes varies from run to run.
 */
export function unexpectedStderr(stderr: string): string[] {
  const handled =
    /^\[[\d:]+\] WARN: (agents: model call failed|scheduler: the explore call failed; editing without it)\n/;
  return stderr.split(/^(?=\[\d\d:\d\d:\d\d\] )/m).filter((entry) => entry.trim() !== '' && !handled.test(entry));
}
