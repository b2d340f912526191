// `nocturnal init`: the terminal's first run. On a terminal it asks the window's three questions —
// which model (servers already running here, or the embedded model that fits this machine), which
// repository, which night — and writes one config.yaml from the answers. With --yes, or when stdin
// is not a terminal, it takes the recommended answers without asking. It never overwrites a config.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { parseDocument } from 'yaml';
import { renderDefaultConfigYaml } from '../../engine/config/default-config-yaml';
import { validateConfigText } from '../../engine/config/config-file';
import { homePaths } from '../../engine/config/home';
import { NocturnalError } from '../../engine/errors/nocturnal-error';
import { discoverLocalServers } from '../../engine/setup/discover-servers';
import type { ServerDiscovery } from '../../engine/setup/discover-servers';
import { localServersToProbe } from '../../engine/setup/local-servers';
import { modelChoiceSettings, nightChoiceSettings } from '../../engine/setup/first-run-choices';
import type { ConfigSetting, ModelChoice, NightChoice } from '../../engine/setup/first-run-choices';
import { recommendModel } from '../../engine/setup/recommend-model';
import { detectWorkspace } from '../../engine/workspaces/detect-workspace';
import type { ModelRecommendation } from '../../engine/setup/recommend-model';
import { defaultConfig } from '../../../src-shared/config/schema';
import type { CliContext } from '../cli-context';
import { writeLine } from '../cli-io';
import { createTerminalPrompter } from '../prompter';
import type { Prompter } from '../prompter';

interface InitOptions {
  yes?: boolean;
  repo?: string;
}

export function registerInitCommand(program: Command, context: () => CliContext): void {
  program
    .command('init')
    .description(
      'first run: pick a model, a repository and the night window, and write config.yaml (never overwrites; --yes takes the recommended answers)',
    )
    .option('-y, --yes', 'take the recommended answer to every question without asking')
    .option('--repo <path>', 'register this repository (the answer to the repository question)')
    .action(async (options: InitOptions) => {
      const ctx = context();
      const out = ctx.io.stdout;
      const paths = homePaths(ctx.home);
      fs.mkdirSync(paths.home, { recursive: true, mode: 0o700 });
      if (fs.existsSync(paths.config)) {
        writeLine(
          out,
          `${paths.config} already exists; left unchanged (run \`nocturnal config validate\` to check it, \`nocturnal status\` to see what is missing)`,
        );
        return;
      }
      const ask = !options.yes && ctx.io.interactive && ctx.io.stdinIsTty === true && ctx.io.stdin !== undefined;
      const prompter = ask && ctx.io.stdin ? createTerminalPrompter(ctx.io.stdin, out) : null;
      let answers: FirstRunAnswers;
      try {
        writeLine(out, 'Looking for model servers on this machine (LM Studio, Ollama, llama.cpp server)…');
        const discovery = await discoverLocalServers({ servers: localServersToProbe(ctx.config.llm.api_url) });
        const recommendation = recommendModel(os.totalmem());
        answers = {
          model: await chooseModel(out, prompter, discovery, recommendation),
          repo: await chooseRepository(out, prompter, options.repo, ctx.io.cwd),
          night: await chooseNight(out, prompter),
        };
      } finally {
        prompter?.close();
      }

      writeConfigOnce(paths.config, [...modelChoiceSettings(answers.model), ...nightChoiceSettings(answers.night)]);
      writeLine(out, `wrote ${paths.config}`);
      if (answers.model.kind === 'embedded')
        writeLine(out, `next: download the model with \`nocturnal model pull ${answers.model.modelId}\` (resumable)`);
      if (answers.repo !== null) {
        const engine = await ctx.openEngine();
        // The checks the repository offers (package.json scripts, pytest, …), the same detection the
        // window's repository step shows; a repository with none is refused with what to pass.
        const detected = await detectWorkspace(answers.repo, engine.git);
        const added = await engine.workspaces.add({ path: answers.repo, checks: detected.checks });
        writeLine(
          out,
          `added workspace "${added.name}" (${added.path}): base ${added.baseBranch} → target ${added.targetBranch}; checks: ${Object.entries(
            added.checks,
          )
            .map(([k, v]) => `${k}: ${v}`)
            .join('; ')}`,
        );
        writeLine(out, `next: queue a task with \`nocturnal task add ${added.name} "TITLE"\``);
      } else {
        writeLine(out, 'next: add a repository with `nocturnal workspace add PATH`');
      }
    });
}

interface FirstRunAnswers {
  model: ModelChoice;
  repo: string | null;
  night: NightChoice;
}

async function chooseModel(
  out: NodeJS.WritableStream,
  prompter: Prompter | null,
  discovery: ServerDiscovery,
  recommendation: ModelRecommendation,
): Promise<ModelChoice> {
  const choices: { label: string; choice: ModelChoice }[] = [];
  for (const server of discovery.found) {
    for (const model of server.models)
      choices.push({
        label: `${model} on ${server.name} (${server.apiUrl})`,
        choice: { kind: 'server', apiUrl: server.apiUrl, model },
      });
  }
  for (const option of recommendation.options) {
    const size = `${(option.model.sizeBytes / 1e9).toFixed(1)} GB download`;
    choices.push({
      label: `embedded: ${option.model.title}, ${size}, ${option.fits ? 'fits this machine' : 'does NOT fit this machine'}`,
      choice: { kind: 'embedded', modelId: option.model.id },
    });
  }
  writeLine(out, '');
  writeLine(out, '1. Model');
  if (discovery.found.length === 0)
    writeLine(out, '   No model server found on 127.0.0.1 (LM Studio :1234, Ollama :11434, llama.cpp server :8080).');
  choices.forEach((c, i) => writeLine(out, `   ${i + 1}) ${c.label}`));
  writeLine(out, `   Recommended embedded model: ${recommendation.why}`);
  const first = choices[0] as { label: string; choice: ModelChoice };
  if (!prompter) {
    writeLine(out, `   → ${first.label}`);
    return first.choice;
  }
  for (;;) {
    const answer = await prompter.ask('   Model number?', '1');
    const index = Number(answer);
    const picked = Number.isInteger(index) ? choices[index - 1] : undefined;
    if (picked) return picked.choice;
    writeLine(out, `   Please answer a number from 1 to ${choices.length}.`);
  }
}

async function chooseRepository(
  out: NodeJS.WritableStream,
  prompter: Prompter | null,
  given: string | undefined,
  cwd: string,
): Promise<string | null> {
  writeLine(out, '');
  writeLine(out, '2. Repository');
  if (given !== undefined) {
    const resolved = path.resolve(cwd, given);
    if (!fs.existsSync(resolved)) throw new NocturnalError('validation', `--repo: ${resolved} does not exist`);
    writeLine(out, `   → ${resolved}`);
    return resolved;
  }
  if (!prompter) {
    writeLine(out, '   → none yet (add one later with `nocturnal workspace add PATH`)');
    return null;
  }
  for (;;) {
    const answer = await prompter.ask('   Path of a git repository to work on (empty to skip)?', '');
    if (answer === '') return null;
    const resolved = path.resolve(cwd, answer.replace(/^~(?=$|\/)/, os.homedir()));
    if (fs.existsSync(path.join(resolved, '.git'))) return resolved;
    writeLine(out, `   ${resolved} is not a git repository (no .git there); try again or leave empty to skip.`);
  }
}

async function chooseNight(out: NodeJS.WritableStream, prompter: Prompter | null): Promise<NightChoice> {
  const defaults = defaultConfig().scheduler;
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  writeLine(out, '');
  writeLine(out, `3. Night (times in ${zone})`);
  if (!prompter) {
    writeLine(out, `   → ${defaults.start_time}–${defaults.end_time}, night mode on, notifications on`);
    return { startTime: defaults.start_time, endTime: defaults.end_time, nightMode: true, notifications: true };
  }
  const startTime = await askTime(out, prompter, '   Night starts at?', defaults.start_time);
  const endTime = await askTime(out, prompter, '   Night ends at?', defaults.end_time);
  const nightMode = await askYesNo(
    out,
    prompter,
    '   Arm night mode now (tasks run by themselves in the window)?',
    true,
  );
  const notifications = await askYesNo(out, prompter, '   Desktop notifications when something needs you?', true);
  return { startTime, endTime, nightMode, notifications };
}

async function askTime(
  out: NodeJS.WritableStream,
  prompter: Prompter,
  question: string,
  fallback: string,
): Promise<string> {
  for (;;) {
    const answer = await prompter.ask(question, fallback);
    const match = /^(\d{1,2}):(\d{2})$/.exec(answer);
    if (match && Number(match[1]) < 24 && Number(match[2]) < 60)
      return `${(match[1] ?? '').padStart(2, '0')}:${match[2] ?? ''}`;
    writeLine(out, '   Please answer a 24-hour time such as 22:00.');
  }
}

async function askYesNo(
  out: NodeJS.WritableStream,
  prompter: Prompter,
  question: string,
  fallback: boolean,
): Promise<boolean> {
  for (;;) {
    const answer = (await prompter.ask(`${question} (${fallback ? 'Y/n' : 'y/N'})`, '')).toLowerCase();
    if (answer === '') return fallback;
    if (['y', 'yes'].includes(answer)) return true;
    if (['n', 'no'].includes(answer)) return false;
    writeLine(out, '   Please answer y or n.');
  }
}

/** The commented default config with the answers set in place; link() so a racing init never loses. */
function writeConfigOnce(file: string, settings: ConfigSetting[]): void {
  const document = parseDocument(renderDefaultConfigYaml());
  for (const setting of settings) document.setIn(setting.path, setting.value);
  const text = document.toString();
  validateConfigText(text, path.basename(file));
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, text, { mode: 0o600 });
  try {
    fs.linkSync(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      throw new NocturnalError('conflict', `${file} appeared while init was asking; it was left unchanged`);
    throw error;
  } finally {
    fs.rmSync(temp, { force: true });
  }
}
