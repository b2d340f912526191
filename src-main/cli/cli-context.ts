// Per-run services the commands share: the resolved home, the loaded config, and an engine opened
// lazily (so `config path` or `--help` never touch the database).
import type { Command } from 'commander';
import type { ChannelPayload, ChannelResult } from '../../src-shared/api/channels';
import type { ChannelHandlers } from '../../src-shared/api/dispatch';
import type { ChannelName } from '../../src-shared/api/names';
import type { Config } from '../../src-shared/config/schema';
import { loadConfigDetailed } from '../engine/config/config-file';
import type { LoadedConfig } from '../engine/config/config-file';
import { resolveHome } from '../engine/config/home';
import type { Engine } from '../engine/engine';
import type { CliIo } from './cli-io';
import { configuredSecrets, createRedactor } from '../engine/log/redact';
import type { Redactor } from '../engine/log/redact';

export class CliContext {
  private loaded: LoadedConfig | undefined;
  private engine: Engine | undefined;
  private handlers: ChannelHandlers | undefined;

  constructor(
    readonly io: CliIo,
    private readonly program: Command,
    private readonly redactor: Redactor = createRedactor(),
  ) {}

  get home(): string {
    const options = this.program.opts<{ home?: string }>();
    return resolveHome({ home: options.home, env: this.io.env });
  }

  get verbose(): boolean {
    return Boolean(this.program.opts<{ verbose?: boolean }>().verbose);
  }

  loadConfig(): LoadedConfig {
    if (!this.loaded) {
      this.loaded = loadConfigDetailed({ home: this.home, env: this.io.env });
      for (const secret of configuredSecrets(this.loaded.config.llm, this.io.env)) this.redactor.addSecret(secret);
    }
    return this.loaded;
  }

  get config(): Config {
    return this.loadConfig().config;
  }

  async openEngine(): Promise<Engine> {
    if (!this.engine) {
      // Loaded on demand: `config` commands and --help never pay for the store or the model layer.
      const { createEngine } = await import('../engine/engine');
      this.engine = createEngine({
        home: this.home,
        config: this.config,
        env: this.io.env,
        cwd: this.io.cwd,
        console: { stream: this.io.stderr, level: this.verbose ? 'debug' : 'warn' },
      });
      await this.engine.start();
    }
    return this.engine;
  }

  /** Why the home cannot be written, when the engine was opened on a read-only home. */
  get readOnlyReason(): string | null {
    return this.engine?.readOnly?.reason ?? null;
  }

  /**
   * Calls one channel of the engine API, exactly as the app and `serve` do; `--json` prints its answer.
   * An `{error}` comes back as a thrown NocturnalError (exit 2 for input errors, 1 otherwise).
   */
  async call<C extends ChannelName>(channel: C, payload: ChannelPayload<C>): Promise<ChannelResult<C>> {
    if (!this.handlers) {
      const engine = await this.openEngine();
      const [{ createEngineApi }, { productVersion }] = await Promise.all([
        import('../engine/api/create-engine-api'),
        import('../engine/api/product-version'),
      ]);
      this.handlers = createEngineApi(engine, { host: 'cli', version: productVersion() });
    }
    const { callChannel } = await import('../engine/api/call-channel');
    return callChannel(this.handlers, channel, payload);
  }

  async close(): Promise<void> {
    await this.engine?.stop();
    this.engine = undefined;
    this.handlers = undefined;
  }
}
