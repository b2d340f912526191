// Per-run services the commands share: the resolved home, the loaded config, and an engine opened
// lazily (so `config path` or `--help` never touch the database).
import type { Command } from 'commander';
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
        console: { stream: this.io.stderr, level: this.verbose ? 'debug' : 'warn' },
      });
      await this.engine.start();
    }
    return this.engine;
  }

  async close(): Promise<void> {
    await this.engine?.stop();
    this.engine = undefined;
  }
}
