// The one configuration schema (DESIGN §9). snake_case keys as they appear in config.yaml; every
// object is strict so that a misspelt key is an error, never silently ignored. Defaults follow the
// product sheet; `describe()` texts are what `nocturnal init` writes as comments and what the
// settings UI shows as help.
import { z } from 'zod';

const clockTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a 24-hour time "HH:MM" between 00:00 and 23:59');

const unitInterval = z.number().min(0).max(1);
const positiveInt = z.number().int().positive();

export const llmSectionSchema = z
  .strictObject({
    provider: z
      .enum(['llama', 'openai'])
      .default('llama')
      .describe(
        'llama: embedded llama.cpp; openai: any OpenAI-compatible server (LM Studio, Ollama, llama-server, vLLM)',
      ),
    model_path: z
      .string()
      .min(1)
      .nullable()
      .default(null)
      .describe(
        'GGUF file for the embedded provider; a name from `nocturnal model list` or a path. null until a model is pulled or chosen',
      ),
    model: z
      .string()
      .min(1)
      .default('codellama-13b-instruct')
      .describe('model name sent to an OpenAI-compatible server'),
    api_url: z
      .url({
        protocol: /^https?$/,
        error: 'expected an http:// or https:// URL of the OpenAI-compatible server, e.g. http://127.0.0.1:1234/v1',
      })
      .default('http://127.0.0.1:1234/v1')
      .describe('base URL of the OpenAI-compatible server (LM Studio default shown)'),
    api_key_env: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name')
      .nullable()
      .default(null)
      .describe('name of the environment variable holding the API key; keys never live in this file'),
    context_size: z
      .union([z.literal('auto'), positiveInt.min(512)], {
        error: 'expected "auto" or a number of tokens of at least 512',
      })
      .default('auto')
      .describe(
        "tokens of context per sequence; auto: the model's trained context capped by this machine's memory (8192 for an OpenAI-compatible server)",
      ),
    max_tokens: z
      .union([z.literal('auto'), positiveInt], { error: 'expected "auto" or a positive number of tokens' })
      .default('auto')
      .describe('most tokens one reply may generate; auto: a quarter of the context'),
    temperature: z.number().min(0).max(2).default(0.2),
    gpu: z
      .union([z.enum(['auto', 'cuda', 'vulkan', 'metal']), z.literal(false)])
      .default('auto')
      .describe('auto, cuda, vulkan, metal, or false for CPU only'),
    threads: z
      .number()
      .int()
      .nonnegative()
      .default(0)
      .describe('CPU threads for the embedded model; 0 lets llama.cpp choose'),
    timeout_s: positiveInt.default(600).describe('longest a single model call may take'),
    max_retries: z
      .number()
      .int()
      .nonnegative()
      .max(10)
      .default(3)
      .describe('retries on transient errors (connection refused, 429, 5xx, timeouts)'),
  })
  .describe('the language model');

export const schedulerSectionSchema = z
  .strictObject({
    start_time: clockTime.default('22:00').describe('when the night window opens (local time unless timezone is set)'),
    end_time: clockTime
      .default('06:00')
      .describe('when the night window closes; may be earlier than start_time (crosses midnight)'),
    timezone: z
      .string()
      .refine(isKnownTimeZone, 'expected "local" or an IANA time zone such as "Europe/Berlin"')
      .default('local'),
    night_mode: z.boolean().default(true).describe('armed: sessions start by themselves inside the window'),
    max_changes_per_night: z.number().int().nonnegative().default(10).describe('most changes merged in one night'),
    max_task_minutes: positiveInt.default(30).describe('longest one task may run'),
    check_interval_s: positiveInt.default(60).describe('how often the scheduler and resource monitor look around'),
  })
  .describe('the night window');

export const qualitySectionSchema = z
  .strictObject({
    auto_approve_threshold: unitInterval.default(0.85).describe('score at or above which a change is merged by itself'),
    review_threshold: unitInterval
      .default(0.7)
      .describe('score at or above which a change waits for review; below is improved or rejected'),
    max_improvement_cycles: z.number().int().nonnegative().max(20).default(3),
    weights: z
      .strictObject({
        checks: z.number().nonnegative().default(0.5),
        progress: z.number().nonnegative().default(0.15),
        review: z.number().nonnegative().default(0.2),
        scope: z.number().nonnegative().default(0.15),
      })
      .prefault({})
      .describe('relative weights of the score components; normalised to sum to 1'),
  })
  .refine((q) => q.review_threshold <= q.auto_approve_threshold, {
    message: 'review_threshold must not exceed auto_approve_threshold',
    path: ['review_threshold'],
  })
  .refine((q) => q.weights.checks + q.weights.progress + q.weights.review + q.weights.scope > 0, {
    message: 'at least one weight must be above 0',
    path: ['weights'],
  })
  .describe('scoring and decisions');

export const parallelSectionSchema = z
  .strictObject({
    max_parallel_attempts: positiveInt.max(16).default(1).describe('attempts worked at the same time'),
    branch_prefix: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected a git-safe branch name component')
      .default('nocturnal'),
  })
  .describe('parallel attempts');

export const defaultProtectedPaths = [
  '.git/**',
  '.env*',
  '**/*.pem',
  '**/*.key',
  '**/id_rsa*',
  '.github/workflows/**',
  '.nocturnal/**',
] as const;

export const safetySectionSchema = z
  .strictObject({
    sandbox: z
      .enum(['auto', 'required', 'off'])
      .default('auto')
      .describe('auto: sandbox when available, else refuse to run checks; off must be chosen explicitly'),
    protected_paths: z
      .array(z.string().min(1))
      .default([...defaultProtectedPaths])
      .describe('globs the model may never edit'),
    max_file_changes: positiveInt.default(50).describe('most files one change may touch'),
    max_changed_lines: positiveInt.default(2000).describe('most lines one change may add plus remove'),
    max_file_bytes: positiveInt.default(1_000_000).describe('largest file an edit may write'),
    blocked_commands: z
      .array(z.string().min(1))
      .default([])
      .describe('extra command patterns to refuse, on top of the built-in deny list'),
    sandbox_read_paths: z
      .array(z.string().min(1))
      .default([])
      .describe('extra host paths checks may read (e.g. a package cache)'),
    check_timeout_s: positiveInt.default(600).describe('longest one check command may run'),
    max_check_processes: positiveInt
      .min(16)
      .default(1024)
      .describe('most processes one check may run at once (a fork bomb stops here)'),
    max_check_memory_mb: positiveInt
      .min(64)
      .nullable()
      .default(null)
      .describe('memory cap for one check in MiB; null means 75% of RAM'),
    backup_retention_days: positiveInt
      .default(30)
      .describe(
        'backup refs under refs/nocturnal/backups older than this are pruned (those of recent merges are kept)',
      ),
    max_cpu_percent: z.number().min(1).max(100).default(90),
    max_memory_percent: z.number().min(1).max(100).default(90),
    min_free_disk_gb: z.number().nonnegative().default(2),
    pause_on_battery: z.boolean().default(true),
  })
  .describe('guards around everything the model writes and runs');

export const costSectionSchema = z
  .strictObject({
    monthly_budget_usd: z.number().nonnegative().default(10),
    alert_thresholds: z
      .array(unitInterval)
      .min(1)
      .default([0.5, 0.8, 0.9, 0.95])
      .describe('shares of the budget that raise an alert; at the last one paid providers are refused'),
    free_tool_target_rate: unitInterval.default(0.9).describe('share of calls that should use free (local) models'),
    energy_watts: z
      .number()
      .nonnegative()
      .default(45)
      .describe('power drawn while the model runs, for the energy estimate'),
    prices: z
      .record(
        z.string(),
        z.strictObject({ input_per_1k_usd: z.number().nonnegative(), output_per_1k_usd: z.number().nonnegative() }),
      )
      .default({})
      .describe('per model name: USD per 1k input and output tokens; unlisted models cost 0'),
  })
  .describe('money and energy');

export const knowledgeSectionSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    vault_path: z
      .string()
      .min(1)
      .nullable()
      .default(null)
      .describe('Markdown vault for notes; null means <home>/vault'),
  })
  .describe('the knowledge vault');

export const loggingSectionSchema = z
  .strictObject({
    level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).default('info'),
    retention_days: positiveInt.default(14).describe('log files older than this are deleted'),
  })
  .describe('logs under <home>/logs');

export const notificationsSectionSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    session_end: z.boolean().default(true),
    review_waiting: z.boolean().default(true),
    failures: z.boolean().default(true),
    budget_alerts: z.boolean().default(true),
  })
  .describe('desktop notifications');

export const appSectionSchema = z
  .strictObject({
    open_at_login: z.boolean().default(false).describe('start the desktop app (in the tray) when you log in'),
  })
  .describe('the desktop app');

export const agentsSectionSchema = z
  .strictObject({
    explore: z
      .boolean()
      .default(true)
      .describe(
        'before the first edit, one short call (nocturnal_explore) where the model asks for files or symbols to read; false skips it',
      ),
  })
  .describe('how the agents prepare a change');

export const configSchema = z.strictObject({
  llm: llmSectionSchema.prefault({}),
  scheduler: schedulerSectionSchema.prefault({}),
  quality: qualitySectionSchema.prefault({}),
  agents: agentsSectionSchema.prefault({}),
  parallel: parallelSectionSchema.prefault({}),
  safety: safetySectionSchema.prefault({}),
  cost: costSectionSchema.prefault({}),
  knowledge: knowledgeSectionSchema.prefault({}),
  logging: loggingSectionSchema.prefault({}),
  notifications: notificationsSectionSchema.prefault({}),
  app: appSectionSchema.prefault({}),
});

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
export type ConfigSectionName = keyof Config;
export type LlmConfig = Config['llm'];
export type SchedulerConfig = Config['scheduler'];
export type QualityConfig = Config['quality'];
export type SafetyConfig = Config['safety'];
export type CostConfig = Config['cost'];

export const configSectionNames = Object.keys(configSchema.shape) as ConfigSectionName[];

export function defaultConfig(): Config {
  return configSchema.parse({});
}

function isKnownTimeZone(value: string): boolean {
  if (value === 'local') return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}
