// A real night for the browser specs: a temporary home, a real git repository with a tiny Node project
// whose test passes, the loopback OpenAI-compatible server with a scripted model that edits what its
// prompt shows it, and `nocturnal serve` over that home. The page under test is what serve prints.
import { createTempDir, createTempRepo } from '../../src-main/engine/git/testing/temp-repo';
import type { TempRepo } from '../../src-main/engine/git/testing/temp-repo';
import { exploreReply } from '../../src-main/engine/llm/testing/explore-from-map';
import { startLoopbackOpenAiServer } from '../../src-main/engine/llm/testing/loopback-openai-server';
import type {
  LoopbackOpenAiServer,
  RecordedRequest,
  ScriptedReply,
} from '../../src-main/engine/llm/testing/loopback-openai-server';
import { serveHome } from './serve-home';
import type { ServedHome } from './serve-home';

export const calcFiles = {
  'math.js':
    'function add(a, b) {\n  return a + b;\n}\n\nfunction mul(a, b) {\n  return a * b;\n}\n\nmodule.exports = { add, mul };\n',
  'test.js':
    "const assert = require('node:assert');\nconst m = require('./math.js');\nassert.strictEqual(m.add(2, 3), 5);\nassert.strictEqual(m.mul(2, 3), 6);\nconsole.log('all tests passed');\n",
  'README.md': '# calc\n',
};

export interface NightFixture {
  home: string;
  repo: TempRepo;
  model: LoopbackOpenAiServer;
  /** The engine's environment for this night: the loopback model, no resource gating, no night window. */
  env: NodeJS.ProcessEnv;
  /** The edit prompts the model received, in order. */
  editPrompts(): string[];
  close(): Promise<void>;
}

export interface NightServer extends NightFixture {
  /** The page to open, token in its fragment. */
  url: string;
}

export type ScriptedModel = (schema: string, prompt: string) => ScriptedReply;

function promptOf(request: RecordedRequest): string {
  return (request.body.messages ?? []).map((message) => message.content).join('\n');
}

export async function startNightFixture(options: { model: ScriptedModel }): Promise<NightFixture> {
  const home = await createTempDir('nocturnal-e2e-home-');
  const repo = await createTempRepo({ files: calcFiles });
  const model = await startLoopbackOpenAiServer({
    models: ['e2e-model'],
    // The explore call (nocturnal_explore) is answered from the repo map the prompt shows, as a model would;
    // the spec's scripted model answers the edits and the review.
    responder: (request) => {
      const schema = request.body.response_format?.json_schema?.name ?? 'unknown';
      return schema === 'nocturnal_explore'
        ? exploreReply(promptOf(request))
        : options.model(schema, promptOf(request));
    },
  });
  // Only this night's settings: nothing from the developer's shell may leak in.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('NOCTURNAL_')));
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    NOCTURNAL_HOME: home.path,
    NOCTURNAL_LLM_PROVIDER: 'openai',
    NOCTURNAL_LLM_API_URL: model.url,
    NOCTURNAL_LLM_MODEL: 'e2e-model',
    NOCTURNAL_LLM_MAX_RETRIES: '1',
    NOCTURNAL_LLM_TIMEOUT_S: '20',
    NOCTURNAL_QUALITY_MAX_IMPROVEMENT_CYCLES: '0',
    // The test machine is busy running the browser: resource gating has its own tests.
    NOCTURNAL_SAFETY_MAX_CPU_PERCENT: '100',
    NOCTURNAL_SAFETY_MAX_MEMORY_PERCENT: '100',
    NOCTURNAL_SAFETY_MIN_FREE_DISK_GB: '0',
    NOCTURNAL_SAFETY_PAUSE_ON_BATTERY: 'false',
    // No night window opens by itself during the test: nights run from the window's Run now.
    NOCTURNAL_SCHEDULER_NIGHT_MODE: 'false',
  };
  return {
    home: home.path,
    repo,
    model,
    env,
    editPrompts: () =>
      model.chatRequests.filter((r) => r.body.response_format?.json_schema?.name === 'nocturnal_edits').map(promptOf),
    async close() {
      await model.close();
      await repo.cleanup();
      await home.cleanup();
    },
  };
}

export async function startNightServer(options: { repoRoot: string; model: ScriptedModel }): Promise<NightServer> {
  const fixture = await startNightFixture(options);
  let served: ServedHome;
  try {
    served = await serveHome(options.repoRoot, fixture.home, fixture.env);
  } catch (error) {
    await fixture.close();
    throw error;
  }
  return {
    ...fixture,
    url: served.url,
    async close() {
      await served.close();
      await fixture.close();
    },
  };
}
