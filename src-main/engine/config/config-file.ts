// Loading, validating and editing <home>/config.yaml. Order: file → environment overrides → schema.
// A missing file means "all defaults" (that is what `init` would write); a present file is validated
// strictly and every problem is reported with its field path, the offending value, what was expected
// and the line it sits on. Nothing ever falls back to a default silently.
import fs from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import type { z } from 'zod';
import { configSchema } from '../../../src-shared/config/schema';
import type { Config } from '../../../src-shared/config/schema';
import { ConfigError } from './config-error';
import type { ConfigProblem } from './config-error';
import { collectEnvOverrides } from './env-overrides';
import type { EnvOverride } from './env-overrides';
import { homePaths } from './home';
import { keysAt, nearestKey } from './schema-walk';

export interface LoadConfigOptions {
  home: string;
  env: NodeJS.ProcessEnv;
}

export interface LoadedConfig {
  config: Config;
  file: string;
  fileExists: boolean;
  overrides: EnvOverride[];
}

export function loadConfig(options: LoadConfigOptions): Config {
  return loadConfigDetailed(options).config;
}

export function loadConfigDetailed(options: LoadConfigOptions): LoadedConfig {
  const file = homePaths(options.home).config;
  const fileExists = fs.existsSync(file);
  const text = fileExists ? fs.readFileSync(file, 'utf8') : '';
  const parsed = parseConfigText(text, path.basename(file));
  const { overrides, problems: envProblems } = collectEnvOverrides(options.env);
  const merged = structuredClone(parsed.data);
  for (const override of overrides) setAtPath(merged, override.path, override.value);
  const result = configSchema.safeParse(merged);
  const problems = [...envProblems];
  if (!result.success) problems.push(...describeIssues(result.error.issues, merged, parsed, overrides));
  if (problems.length > 0) throw new ConfigError(problems);
  if (!result.success) throw new Error('unreachable: failed parse without problems');
  return { config: result.data, file, fileExists, overrides };
}

/** Validates a config text without the environment; used by `config validate` and tests. */
export function validateConfigText(text: string, fileLabel = 'config.yaml'): Config {
  const parsed = parseConfigText(text, fileLabel);
  const result = configSchema.safeParse(parsed.data);
  if (!result.success) throw new ConfigError(describeIssues(result.error.issues, parsed.data, parsed, []));
  return result.data;
}

/**
 * Sets one field in config.yaml, keeping the user's comments and layout, after validating the whole
 * result. Used by the tray's night-mode toggle and the settings window.
 */
export function setConfigValue(home: string, fieldPath: string[], value: unknown): Config {
  const file = homePaths(home).config;
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const parsed = parseConfigText(text, path.basename(file));
  parsed.document.setIn(fieldPath, value);
  const nextText = parsed.document.toString();
  const config = validateConfigText(nextText, path.basename(file));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, nextText, { mode: 0o600 });
  fs.renameSync(temp, file);
  return config;
}

interface ParsedConfigText {
  data: Record<string, unknown>;
  document: Document;
  lineCounter: LineCounter;
  fileLabel: string;
}

function parseConfigText(text: string, fileLabel: string): ParsedConfigText {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new ConfigError(
      document.errors.map((error) => {
        const line = error.linePos?.[0].line ?? lineCounter.linePos(error.pos[0]).line;
        return {
          path: '',
          source: line ? `${fileLabel}:${line}` : fileLabel,
          message: `not valid YAML: ${error.message.split('\n')[0] ?? error.code}`,
        };
      }),
    );
  }
  const data: unknown = document.toJS() ?? {};
  if (!isPlainObject(data)) {
    throw new ConfigError([
      { path: '', source: fileLabel, message: 'expected a mapping of sections (llm:, scheduler:, …) at the top level' },
    ]);
  }
  return { data, document, lineCounter, fileLabel };
}

function describeIssues(
  issues: z.core.$ZodIssue[],
  data: Record<string, unknown>,
  parsed: ParsedConfigText,
  overrides: EnvOverride[],
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of issues) {
    const issuePath = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      const valid = keysAt(issuePath);
      for (const key of issue.keys) {
        const suggestion = nearestKey(key, valid);
        problems.push({
          path: [...issuePath, key].join('.'),
          source: sourceOf([...issuePath, key], parsed, overrides, true),
          message: `unknown key${suggestion ? ` — did you mean "${suggestion}"?` : ''} (valid keys here: ${valid.join(', ')})`,
        });
      }
      continue;
    }
    const value = valueAt(data, issuePath);
    const shown = value === undefined ? '' : ` (got ${JSON.stringify(value)})`;
    problems.push({
      path: issuePath.join('.'),
      source: sourceOf(issuePath, parsed, overrides, false),
      message: `${issue.message}${shown}`,
    });
  }
  return problems;
}

function sourceOf(fieldPath: string[], parsed: ParsedConfigText, overrides: EnvOverride[], keyNode: boolean): string {
  // The override of this field or of a field under it (a list's element, a whole-object rule).
  const override =
    overrides.find((o) => isPrefix(o.path, fieldPath)) ??
    (fieldPath.length >= 2 ? overrides.find((o) => isPrefix(fieldPath, o.path)) : undefined);
  if (override) return override.variable;
  const line = lineOf(fieldPath, parsed, keyNode);
  return line ? `${parsed.fileLabel}:${line}` : parsed.fileLabel;
}

function lineOf(fieldPath: string[], parsed: ParsedConfigText, keyNode: boolean): number | undefined {
  // Walk up until some node on the path exists in the document (a missing field reports its parent).
  for (let depth = fieldPath.length; depth > 0; depth--) {
    const parentPath = fieldPath.slice(0, depth - 1);
    const key = fieldPath[depth - 1];
    const parent = parentPath.length === 0 ? parsed.document.contents : parsed.document.getIn(parentPath, true);
    if (!isMap(parent)) continue;
    const pair = parent.items.find((item) => isScalar(item.key) && String(item.key.value) === key);
    if (!pair) continue;
    const node = keyNode || !pair.value ? pair.key : pair.value;
    const offset = (node as { range?: [number, number, number] }).range?.[0];
    if (offset !== undefined) return parsed.lineCounter.linePos(offset).line;
  }
  return undefined;
}

function isPrefix(prefix: readonly string[], full: readonly string[]): boolean {
  return prefix.length <= full.length && prefix.every((key, i) => full[i] === key);
}

/** Sets a value at a path of object keys, making the objects on the way (over a non-object too). */
function setAtPath(root: Record<string, unknown>, fieldPath: readonly string[], value: unknown): void {
  let current = root;
  for (const key of fieldPath.slice(0, -1)) {
    const next = current[key];
    const object = isPlainObject(next) ? next : {};
    current[key] = object;
    current = object;
  }
  const last = fieldPath.at(-1);
  if (last !== undefined) current[last] = value;
}

function valueAt(data: unknown, fieldPath: string[]): unknown {
  let current = data;
  for (const key of fieldPath) {
    if (!isPlainObject(current) && !Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
