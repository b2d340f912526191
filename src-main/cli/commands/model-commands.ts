// `nocturnal model list | pull | use | remove` (DESIGN §8), through the engine API's models:*
// channels. The model manager needs only the home and the environment and takes no engine lock, so a
// model can be pulled while a night runs.
import type { Command } from 'commander';
import { formatBytes, formatDuration } from '../../engine/models/byte-size';
import type { DownloadProgress } from '../../engine/models/model-downloader';
import type { ModelList, ModelListEntry } from '../../engine/models/model-manager';
import type { CliContext } from '../cli-context';
import { writeJson, writeLine } from '../cli-io';
import { createProgressBar } from '../progress-bar';
import type { ProgressBar } from '../progress-bar';
import { terminalStyle } from '../terminal-style';
import type { TerminalStyle } from '../terminal-style';

export function registerModelCommands(program: Command, context: () => CliContext): void {
  const model = program
    .command('model')
    .description('list, download and choose the GGUF model the embedded provider runs');

  model
    .command('list')
    .description('recommended models, what is installed in <home>/models, and which one llm.model_path points to')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const ctx = context();
      const list = await ctx.call('models:list', {});
      if (options.json) return writeJson(ctx.io.stdout, list);
      printList(ctx.io.stdout, list);
    });

  model
    .command('pull')
    .description('download a model into <home>/models (resumes an interrupted download)')
    .argument(
      '<uri-or-name>',
      'a name from `model list`, hf:USER/REPO/FILE.gguf, hf:USER/REPO:QUANT, or an http(s) URL of a .gguf file (the first part of a split model brings every part)',
    )
    .action(async (uriOrName: string) => {
      const ctx = context();
      const engine = await ctx.openEngine();
      const source = engine.models.resolveSource(uriOrName);
      const approx = source.catalog ? ` (about ${formatBytes(source.catalog.sizeBytes)})` : '';
      writeLine(
        ctx.io.stderr,
        `pulling ${source.catalog?.id ?? source.fileName ?? source.uri}${approx} from ${withoutQuery(source.probeUrl ?? source.uri)}`,
      );
      // Progress goes to stderr: a bar when stderr is a terminal.
      const view = new PullProgressView(ctx.io.stderr, terminalStyle(ctx.io.env, ctx.io.stderrIsTty ?? false));
      // Progress arrives as models:progress events, as it does in the app's model manager.
      const unsubscribe = engine.events.on('models:progress', (event) => {
        if (event.uri === uriOrName && event.progress) view.update(event.progress);
      });
      // Ctrl-C cancels cleanly, keeping the .partial and saying how to resume; a second one kills.
      const cancel = () => void ctx.call('models:cancel', { uri: uriOrName });
      process.once('SIGINT', cancel);
      try {
        const pulled = await ctx.call('models:pull', { uri: uriOrName }).finally(() => view.end());
        const out = ctx.io.stdout;
        if (pulled.alreadyInstalled) writeLine(out, `${pulled.name} is already installed: ${pulled.path}`);
        else writeLine(out, `saved ${pulled.path} (${formatBytes(pulled.bytes)}, ${describeFacts(pulled.facts)})`);
        if (pulled.inUse) writeLine(out, 'llm.model_path already points to it');
        else writeLine(out, `next: nocturnal model use ${pulled.name}`);
      } finally {
        unsubscribe();
        process.off('SIGINT', cancel);
      }
    });

  model
    .command('use')
    .description('point llm.model_path at a model (checked to be a valid GGUF first)')
    .argument('<name-or-path>', 'a name from `model list`, a file in <home>/models, or the path of a .gguf file')
    .action(async (nameOrPath: string) => {
      const ctx = context();
      const used = await ctx.call('models:use', { name: nameOrPath });
      writeLine(ctx.io.stdout, `llm.model_path: ${used.modelPath} (written to ${used.configFile})`);
      writeLine(ctx.io.stdout, `model: ${describeFacts(used.facts)}`);
      if (used.shadowedBy)
        writeLine(ctx.io.stderr, `warning: ${used.shadowedBy} is set and overrides llm.model_path while it is`);
      if (used.provider !== 'llama')
        writeLine(
          ctx.io.stderr,
          `note: llm.provider is ${used.provider}; the embedded model runs only with llm.provider: llama`,
        );
      const contextSize = ctx.config.llm.context_size;
      if (used.facts.contextLength !== null && contextSize !== 'auto' && contextSize > used.facts.contextLength) {
        writeLine(
          ctx.io.stderr,
          `warning: llm.context_size ${contextSize} is more than the ${used.facts.contextLength} tokens this model was trained for`,
        );
      }
    });

  model
    .command('remove')
    .description('delete a model (and any unfinished download of it) from <home>/models')
    .argument('<name>', 'a name from `model list`')
    .action(async (name: string) => {
      const ctx = context();
      const removed = await ctx.call('models:remove', { name });
      for (const file of removed.removed) writeLine(ctx.io.stdout, `removed ${file}`);
    });
}

function printList(out: NodeJS.WritableStream, list: ModelList): void {
  writeLine(out, `models folder: ${list.modelsDir}`);
  if (list.modelPath === null) writeLine(out, 'llm.model_path: (not set: nocturnal model use NAME)');
  else
    writeLine(
      out,
      `llm.model_path: ${list.modelPath}${list.activePath !== list.modelPath ? ` → ${list.activePath}` : ''}${list.activeExists ? '' : ' (missing!)'}`,
    );
  if (list.sizing) writeLine(out, `context: ${list.sizing.source}`);
  writeLine(out);
  const rows = list.models.map((m) => [m.inUse ? '*' : ' ', m.name, sizeOf(m), ramOf(m), contextOf(m), statusOf(m)]);
  const header = [' ', 'NAME', 'SIZE', 'RAM', 'CONTEXT', 'STATUS'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ');
  writeLine(out, line(header));
  for (const [i, row] of rows.entries()) {
    writeLine(out, line(row));
    const note = list.models[i]?.catalog?.note;
    if (note) writeLine(out, `${' '.repeat((widths[0] ?? 1) + 2)}  ${note}`);
  }
  writeLine(out);
  writeLine(
    out,
    "pull one with: nocturnal model pull NAME   (~: the catalog's rough figure; installed models show the estimate from their own header)",
  );
  writeLine(
    out,
    "CONTEXT: tokens that fit this machine's memory / tokens the model was trained for; llm.context_size auto uses the first",
  );
  if (list.provider !== 'llama')
    writeLine(
      out,
      `note: llm.provider is ${list.provider}; llm.model_path is used only by the embedded provider (llama)`,
    );
}

function sizeOf(m: ModelListEntry): string {
  if (m.sizeBytes !== null) return formatBytes(m.sizeBytes);
  return m.catalog ? `~${formatBytes(m.catalog.sizeBytes)}` : '-';
}

/** RAM at the context that fits, from GgufInsights on the file's header; the catalog's rough figure before a download. */
function ramOf(m: ModelListEntry): string {
  if (m.fit) return formatBytes(m.fit.ramBytes);
  return m.catalog ? `~${formatBytes(m.catalog.ramBytes)}` : '-';
}

function contextOf(m: ModelListEntry): string {
  if (m.fit) return `${m.fit.contextSize ?? 'none'} / ${m.fit.trainContextSize ?? '?'}`;
  return m.catalog ? `? / ${m.catalog.contextLength}` : '-';
}

function statusOf(m: ModelListEntry): string {
  const parts = [m.installed ? 'installed' : m.external ? 'missing' : 'not installed'];
  if (m.fit) parts.push(m.fit.fits ? 'fits this machine' : "does NOT fit this machine's memory");
  if (m.partialBytes !== null) parts.push(`${formatBytes(m.partialBytes)} partly downloaded: pull to resume`);
  if (m.inUse) parts.push('in use');
  if (m.catalog?.isDefault) parts.push('default');
  if (m.external) parts.push('outside the models folder');
  return parts.join(', ');
}

function describeFacts(facts: {
  version: number;
  architecture: string | null;
  name: string | null;
  contextLength: number | null;
}): string {
  const name = facts.name ? ` "${facts.name}"` : '';
  const context = facts.contextLength !== null ? `, trained context ${facts.contextLength}` : '';
  return `GGUF v${facts.version}, ${facts.architecture ?? 'unknown architecture'}${name}${context}`;
}

function withoutQuery(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

/**
 * Progress on stderr: a bar redrawn in place on a terminal; otherwise a plain line at every tenth of
 * the file (every 500 MB when the size is unknown), which reads well in logs and CI output.
 */
class PullProgressView {
  /** Next percentage (known size) or byte count (unknown size) worth a line. */
  private nextStep = 0;
  private nextBytes = 0;
  private bar: ProgressBar | null = null;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly style: TerminalStyle,
  ) {}

  update(p: DownloadProgress): void {
    if (p.phase === 'connecting') {
      if (p.resumedFrom > 0) this.line(`resuming ${p.fileName} at ${formatBytes(p.resumedFrom)}`);
      return;
    }
    if (p.phase === 'verifying') {
      this.line(`verifying ${p.fileName} (${formatBytes(p.bytesDone)})`);
      return;
    }
    const rate = p.bytesPerSecond > 0 ? `${formatBytes(p.bytesPerSecond)}/s` : '';
    const eta = p.etaSeconds !== null ? `ETA ${formatDuration(p.etaSeconds)}` : '';
    const amount =
      p.bytesTotal !== null ? `${formatBytes(p.bytesDone)} / ${formatBytes(p.bytesTotal)}` : formatBytes(p.bytesDone);
    if (this.style.tty) {
      this.bar ??= createProgressBar(this.stream, this.style, p.fileName);
      this.bar.update(p.bytesTotal ? p.bytesDone / p.bytesTotal : null, [amount, rate, eta].filter(Boolean).join('  '));
      return;
    }
    if (p.bytesTotal) {
      const percent = Math.floor((p.bytesDone / p.bytesTotal) * 100);
      if (percent < this.nextStep) return;
      this.nextStep = Math.floor(percent / 10) * 10 + 10;
      this.line(`${p.fileName}: ${percent}% (${amount}${rate ? `, ${rate}` : ''})`);
    } else if (p.bytesDone >= this.nextBytes) {
      this.nextBytes = (Math.floor(p.bytesDone / 5e8) + 1) * 5e8;
      this.line(`${p.fileName}: ${amount}${rate ? ` (${rate})` : ''}`);
    }
  }

  /** Ends a bar left on the line, so that what follows starts on a fresh one. */
  end(): void {
    this.bar?.end();
    this.bar = null;
  }

  private line(text: string): void {
    this.end();
    writeLine(this.stream, text);
  }
}
