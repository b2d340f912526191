// The model manager behind `nocturnal model …` and the desktop's model screen: what is installed in
// <home>/models and what the catalog recommends, pulling a model (with progress for a UI), choosing
// the one llm.model_path points to, and removing one. It needs only the home and the environment, never
// the engine's database, so it works while a night session holds the engine lock.
import { importNodeLlamaCpp } from '../llm/node-llama-cpp';
import { readdir, realpath, rm, stat } from 'node:fs/promises';
import { totalmem } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { setConfigValue, loadConfigDetailed } from '../config/config-file';
import type { LoadedConfig } from '../config/config-file';
import { homePaths } from '../config/home';
import { NocturnalError } from '../errors/nocturnal-error';
import type { Logger } from '../log/logger';
import { findCatalogModel, modelCatalog } from './catalog';
import type { CatalogModel } from './catalog';
import { resolveSizing } from '../llm/context-sizing';
import { acquireDownloadLock, downloadLockFile } from './download-lock';
import { inspectModelFile, isLaterSplitPart, isRegularFile, modelFileParts, readModelFacts } from './gguf-facts';
import { downloadModel, stagingDirFor, unfinishedDownloads, unfinishedSuffix } from './model-downloader';
import type { DownloadProgress } from './model-downloader';
import { estimateModelFit } from './model-fit';
import type { MachineMemory, ModelFit } from './model-fit';
import { defaultHubUrl, parseModelUri } from './model-uri';
import type { ModelSource } from './model-uri';
import type {
  InstalledModel,
  ModelList,
  PullResult,
  RemoveModelResult,
  UseModelResult,
} from '../../../src-shared/domain/models';

/** The records live in the shared contract; these names are what the engine's callers use. */
export type ModelListEntry = InstalledModel;
export type UseResult = UseModelResult;
export type RemoveResult = RemoveModelResult;
export type { ModelList, PullResult };

export interface ModelManagerOptions {
  home: string;
  /** Read for the config overrides, HF_TOKEN (or HUGGING_FACE_HUB_TOKEN) and HF_ENDPOINT (a hub mirror). */
  env: NodeJS.ProcessEnv;
  log: Logger;
  /** Relative paths given to use() are relative to this; default process.cwd(). */
  cwd?: string;
  catalog?: readonly CatalogModel[];
  /** Stall timeout for downloads; default 60 s. */
  idleTimeoutMs?: number;
  /**
   * Writes one config field. A running engine passes its config writer, so `use` is published like
   * any other change; without one the file is edited directly (the CLI, which has no listeners).
   */
  writeConfig?: (fieldPath: string[], value: unknown) => void;
  /** Judge "fits" against this memory instead of this machine's (tests). */
  machine?: MachineMemory;
}

export interface PullOptions {
  onProgress?: ((progress: DownloadProgress) => void) | undefined;
  signal?: AbortSignal | undefined;
}

export class ModelManager {
  readonly modelsDir: string;
  private readonly catalog: readonly CatalogModel[];
  private readonly hubUrl: string;

  constructor(private readonly options: ModelManagerOptions) {
    this.modelsDir = resolve(homePaths(options.home).models);
    this.catalog = options.catalog ?? modelCatalog;
    this.hubUrl = nonEmpty(options.env['HF_ENDPOINT']) ?? defaultHubUrl;
  }

  async list(): Promise<ModelList> {
    const config = this.loadConfig().config;
    const modelPath = config.llm.model_path;
    const activePath = modelPath === null ? null : await this.resolveConfigured(modelPath);
    const files = await this.scanModelsDir();
    const sequences = config.parallel.max_parallel_attempts;
    const models: ModelListEntry[] = [];
    const entry = async (fileName: string, catalog: CatalogModel | null): Promise<ModelListEntry> => {
      const path = join(this.modelsDir, fileName);
      const size = files.models.get(fileName);
      const partial = files.partials.get(fileName);
      return {
        name: catalog?.id ?? fileName,
        fileName,
        path,
        installed: size !== undefined,
        sizeBytes: size ?? null,
        partialBytes: partial ?? null,
        inUse: activePath === path,
        external: false,
        catalog,
        fit: size === undefined ? null : await this.fitOf(path, sequences),
      };
    };
    const listed = new Set<string>();
    for (const model of this.catalog) {
      models.push(await entry(model.fileName, model));
      listed.add(model.fileName);
    }
    const others = [...new Set([...files.models.keys(), ...files.partials.keys()])]
      .filter((f) => !listed.has(f))
      .sort();
    for (const fileName of others) models.push(await entry(fileName, null));

    const activeExists = activePath !== null && (await isRegularFile(activePath));
    if (activePath !== null && !models.some((m) => m.path === activePath)) {
      const size = activeExists ? (await stat(activePath)).size : null;
      const external = dirname(activePath) !== this.modelsDir;
      models.push({
        name: external ? activePath : basename(activePath),
        fileName: basename(activePath),
        path: activePath,
        installed: activeExists,
        sizeBytes: size,
        partialBytes: null,
        inUse: true,
        external,
        catalog: null,
        fit: activeExists ? await this.fitOf(activePath, sequences) : null,
      });
    }
    const activeFit = models.find((m) => m.inUse)?.fit ?? null;
    let sizing: ModelList['sizing'] = null;
    if (config.llm.provider === 'openai' || config.llm.context_size !== 'auto')
      sizing = resolveSizing(config.llm, null);
    else if (activeFit?.contextSize != null) {
      sizing = resolveSizing(config.llm, {
        contextSize: activeFit.contextSize,
        trainContextSize: activeFit.trainContextSize ?? activeFit.contextSize,
      });
    }
    return {
      modelsDir: this.modelsDir,
      provider: config.llm.provider,
      modelPath,
      activePath,
      activeExists,
      models,
      sizing,
      machineMemoryBytes: this.options.machine?.ramTotal ?? totalmem(),
    };
  }

  /** GgufInsights' estimate from the file's real header (the header is all it reads); null when it cannot be read. */
  private async fitOf(path: string, sequences: number): Promise<ModelFit | null> {
    try {
      const { readGgufFileInfo } = await importNodeLlamaCpp();
      const info = await readGgufFileInfo(path, {
        sourceType: 'filesystem',
        logWarnings: false,
        ignoreKeys: ['tokenizer.ggml.merges'],
      });
      return await estimateModelFit(info, {
        sequences,
        ...(this.options.machine ? { machine: this.options.machine } : {}),
      });
    } catch (error) {
      this.options.log.debug({ err: error, path }, 'no fit estimate for this model');
      return null;
    }
  }

  /** What pull() would download, without downloading: for a confirmation line or dialog. */
  resolveSource(uriOrName: string): ModelSource {
    return parseModelUri(uriOrName, { catalog: this.catalog, hubUrl: this.hubUrl });
  }

  async pull(uriOrName: string, options: PullOptions = {}): Promise<PullResult> {
    const source = this.resolveSource(uriOrName);
    const config = this.loadConfig().config;
    const inUse = async (path: string) =>
      config.llm.model_path !== null && (await this.resolveConfigured(config.llm.model_path)) === path;

    if (source.fileName !== null) {
      const path = join(this.modelsDir, source.fileName);
      if (await isRegularFile(path)) {
        const check = await inspectModelFile(path);
        if (!check.ok) {
          throw new NocturnalError(
            'conflict',
            `${path} already exists but is not a usable GGUF model (${check.reason}); remove it with \`nocturnal model remove ${source.fileName}\` and pull again`,
          );
        }
        const name = source.catalog?.id ?? source.fileName;
        return {
          name,
          fileName: source.fileName,
          path,
          bytes: check.facts.fileSize,
          alreadyInstalled: true,
          resumedFrom: 0,
          facts: check.facts,
          inUse: await inUse(path),
        };
      }
    }
    // The token goes to the hub only (node-llama-cpp sends it to hub URLs, and the probe checks the origin).
    const token = source.onHub
      ? (nonEmpty(this.options.env['HF_TOKEN']) ?? nonEmpty(this.options.env['HUGGING_FACE_HUB_TOKEN']))
      : undefined;
    const result = await downloadModel({
      uri: source.uri,
      probeUrl: source.probeUrl,
      fileName: source.fileName,
      modelsDir: this.modelsDir,
      hubUrl: this.hubUrl,
      onHub: source.onHub,
      log: this.options.log,
      token,
      onProgress: options.onProgress,
      signal: options.signal,
      reserveBytes: config.safety.min_free_disk_gb * 1e9,
      idleTimeoutMs: this.options.idleTimeoutMs,
    });
    const name = source.catalog?.id ?? result.fileName;
    return {
      name,
      fileName: result.fileName,
      path: result.path,
      bytes: result.bytes,
      alreadyInstalled: false,
      resumedFrom: result.resumedFrom,
      facts: result.facts,
      inUse: await inUse(result.path),
    };
  }

  async use(nameOrPath: string): Promise<UseResult> {
    const text = nameOrPath.trim();
    if (text === '')
      throw new NocturnalError(
        'usage',
        'model use needs a model name (see `nocturnal model list`) or the path of a .gguf file',
      );
    const file = await this.locate(text);
    if (!(await isRegularFile(file)))
      throw new NocturnalError('validation', `${file} is not a file; expected a .gguf model file`);
    const facts = await readModelFacts(file);
    const modelPath = (await this.isInModelsDir(file)) ? basename(file) : resolve(file);
    const loaded = this.loadConfig();
    if (this.options.writeConfig) this.options.writeConfig(['llm', 'model_path'], modelPath);
    else setConfigValue(this.options.home, ['llm', 'model_path'], modelPath);
    this.options.log.info({ modelPath }, 'llm.model_path changed');
    const shadowedBy = loaded.overrides.find((o) => o.path.join('.') === 'llm.model_path')?.variable ?? null;
    return {
      modelPath,
      path: resolve(file),
      facts,
      configFile: loaded.file,
      shadowedBy,
      provider: loaded.config.llm.provider,
    };
  }

  /** Deletes a model (and any unfinished download of it) from the models folder; never anything else. */
  async remove(name: string): Promise<RemoveResult> {
    const text = name.trim();
    const catalog = findCatalogModel(text, this.catalog);
    const fileName = catalog?.fileName ?? text;
    if (
      fileName === '' ||
      /[\\/]/.test(fileName) ||
      fileName.startsWith('.') ||
      !fileName.toLowerCase().endsWith('.gguf')
    ) {
      throw new NocturnalError(
        'usage',
        `model remove takes a name from \`nocturnal model list\` (a catalog name or a .gguf file in ${this.modelsDir}), got "${name}"`,
      );
    }
    const path = join(this.modelsDir, fileName);
    // The model (every part of a split one) and what an unfinished download left in the staging folder.
    const parts = modelFileParts(path);
    const staged = parts.map((p) => join(stagingDirFor(this.modelsDir), `${basename(p)}${unfinishedSuffix}`));
    const existing: string[] = [];
    for (const p of [...parts, ...staged]) if (await isRegularFile(p)) existing.push(p);
    if (existing.length === 0) throw new NocturnalError('not_found', `no model "${text}" in ${this.modelsDir}`);

    const modelPath = this.loadConfig().config.llm.model_path;
    if (existing.includes(path) && modelPath !== null && (await this.resolveConfigured(modelPath)) === path) {
      throw new NocturnalError(
        'conflict',
        `llm.model_path points to ${fileName}; choose another model with \`nocturnal model use\` before removing it`,
      );
    }
    // Holding the download lock means no pull is writing the .partial while it is deleted.
    const lock = await acquireDownloadLock(downloadLockFile(path), fileName);
    try {
      for (const p of existing) await rm(p, { force: true });
    } finally {
      await lock.release();
    }
    this.options.log.info({ removed: existing }, 'model removed');
    return { name: catalog?.id ?? fileName, removed: existing };
  }

  private loadConfig(): LoadedConfig {
    return loadConfigDetailed({ home: this.options.home, env: this.options.env });
  }

  /** The file llm.model_path means, exactly as the embedded provider will resolve it. */
  private async resolveConfigured(modelPath: string): Promise<string> {
    // Loaded on demand: the provider module pulls in node-llama-cpp, which `model list` should not pay for up front.
    const { resolveModelFile } = await import('../llm/resolve-model-file');
    return resolveModelFile(modelPath, this.modelsDir);
  }

  private async locate(text: string): Promise<string> {
    const cwd = this.options.cwd ?? process.cwd();
    const catalog = findCatalogModel(text, this.catalog);
    if (catalog) {
      const path = join(this.modelsDir, catalog.fileName);
      if (await isRegularFile(path)) return path;
      throw new NocturnalError(
        'not_found',
        `${catalog.id} is not installed; pull it first: nocturnal model pull ${catalog.id}`,
      );
    }
    const looksLikePath = isAbsolute(text) || /[\\/]/.test(text) || text.startsWith('.');
    const candidates = looksLikePath
      ? [resolve(cwd, text)]
      : [join(this.modelsDir, text), join(this.modelsDir, `${text}.gguf`), resolve(cwd, text)];
    for (const candidate of candidates) {
      if (
        await stat(candidate).then(
          () => true,
          () => false,
        )
      )
        return candidate;
    }
    const installed = [...(await this.scanModelsDir()).models.keys()];
    const hint =
      installed.length > 0
        ? `installed: ${installed.join(', ')}`
        : 'nothing is installed yet: nocturnal model pull NAME';
    throw new NocturnalError(
      'not_found',
      `no model "${text}": not a catalog name, not a file in ${this.modelsDir}, and no such file (${hint})`,
    );
  }

  private async isInModelsDir(file: string): Promise<boolean> {
    if (dirname(resolve(file)) === this.modelsDir) return true;
    const [dir, models] = await Promise.all([
      realpath(dirname(resolve(file))).catch(() => null),
      realpath(this.modelsDir).catch(() => null),
    ]);
    return dir !== null && dir === models;
  }

  private async scanModelsDir(): Promise<{ models: Map<string, number>; partials: Map<string, number> }> {
    const models = new Map<string, number>();
    const partials = new Map<string, number>();
    const names = await readdir(this.modelsDir).catch(() => [] as string[]);
    for (const name of names.sort()) {
      // A split model is listed once, by its first part, with the size of all its parts.
      if (!name.toLowerCase().endsWith('.gguf') || isLaterSplitPart(name)) continue;
      let size = 0;
      for (const part of modelFileParts(join(this.modelsDir, name))) {
        const info = await stat(part).catch(() => null);
        if (info?.isFile()) size += info.size;
      }
      if (size > 0) models.set(name, size);
    }
    for (const [name, file] of await unfinishedDownloads(this.modelsDir)) {
      if (isLaterSplitPart(name)) continue;
      const info = await stat(file).catch(() => null);
      if (info?.isFile()) partials.set(name, info.size);
    }
    return { models, partials };
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value.trim() : undefined;
}
