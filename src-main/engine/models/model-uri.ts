// What `model pull` accepts, turned into one download for node-llama-cpp's downloader: a catalog name,
// `hf:USER/REPO/FILE.gguf` (also `hf:USER/REPO:FILE.gguf`), `hf:USER/REPO:QUANT` (the hub picks the
// file of that quantization), or a plain http(s) URL of a .gguf file. The first part of a split model
// (`…-00001-of-00003.gguf`) brings every part. Anything else is a usage error that shows the accepted
// forms, because a guessed download of the wrong thing costs gigabytes.
import { NocturnalError } from '../errors/nocturnal-error';
import { findCatalogModel, modelCatalog } from './catalog';
import type { CatalogModel } from './catalog';

export const defaultHubUrl = 'https://huggingface.co';

export interface ModelSource {
  kind: 'catalog' | 'hf' | 'url';
  /** What the user typed, for messages. */
  input: string;
  /** What node-llama-cpp's downloader gets: an `hf:` URI or an http(s) URL. */
  uri: string;
  /** The http(s) URL of the (first) file, probed before downloading; null for `hf:USER/REPO:QUANT`. */
  probeUrl: string | null;
  /** The name the file gets inside <home>/models; null when the hub picks it (`:QUANT`). */
  fileName: string | null;
  /** Set when `input` named a catalog model. */
  catalog?: CatalogModel;
  /** True when the URL is on the model hub, the only host the hub token is ever sent to. */
  onHub: boolean;
}

export interface ParseModelUriOptions {
  catalog?: readonly CatalogModel[];
  /** Base URL for `hf:` URIs; https://huggingface.co unless a mirror (HF_ENDPOINT) is configured. */
  hubUrl?: string;
}

const nameSegment = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
// llama.cpp's split naming; a later part alone is not a loadable model.
const splitPart = /-(\d{5})-of-\d{5}\.gguf$/i;
// A quantization name as the hub's GGUF repositories spell it in file names (Q4_K_M, IQ3_XS, F16, BF16…).
const quantName = /^[A-Za-z0-9][A-Za-z0-9_]*$/;

export function parseModelUri(input: string, options: ParseModelUriOptions = {}): ModelSource {
  const catalog = options.catalog ?? modelCatalog;
  const hubUrl = (options.hubUrl ?? defaultHubUrl).replace(/\/+$/, '');
  const text = input.trim();
  if (text === '') throw usage(input, 'it is empty', catalog);

  const named = findCatalogModel(text, catalog);
  if (named) {
    const source = parseHfUri(named.uri, text, hubUrl, catalog);
    return { ...source, kind: 'catalog', catalog: named };
  }
  if (/^hf:/i.test(text)) return parseHfUri(text, text, hubUrl, catalog);
  if (/^https?:\/\//i.test(text)) return parseHttpUrl(text, hubUrl, catalog);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) throw usage(input, 'only http and https URLs can be downloaded', catalog);
  throw usage(input, 'it is not a catalog name, an hf: URI or a URL', catalog);
}

function parseHfUri(uri: string, input: string, hubUrl: string, catalog: readonly CatalogModel[]): ModelSource {
  let rest = uri.replace(/^hf:(\/\/)?/i, '');
  const colon = rest.indexOf(':');
  if (colon !== -1) {
    const after = rest.slice(colon + 1);
    const repoPart = rest.slice(0, colon);
    if (!after.toLowerCase().endsWith('.gguf')) {
      // `hf:user/repo:Q4_K_M`: node-llama-cpp asks the hub which file holds that quantization.
      const [user, repo, ...extra] = repoPart.split('/');
      if (user === undefined || repo === undefined || extra.length > 0)
        throw usage(input, 'an hf: URI with a quantization is hf:USER/REPO:QUANT', catalog);
      checkRepo(user, repo, input, catalog);
      if (!quantName.test(after))
        throw usage(
          input,
          `"${after}" after ":" is neither a quantization name (like Q4_K_M) nor a file name ending in .gguf`,
          catalog,
        );
      return { kind: 'hf', input, uri: `hf:${user}/${repo}:${after}`, probeUrl: null, fileName: null, onHub: true };
    }
    // `hf:user/repo:file.gguf` is the same as `hf:user/repo/file.gguf`.
    rest = `${repoPart}/${after}`;
  }
  const [user, repo, ...fileParts] = rest.split('/');
  if (user === undefined || repo === undefined || fileParts.length === 0) {
    throw usage(
      input,
      'an hf: URI needs a user, a repository and a file: hf:USER/REPO/FILE.gguf (or a quantization: hf:USER/REPO:Q4_K_M)',
      catalog,
    );
  }
  checkRepo(user, repo, input, catalog);
  for (const segment of fileParts) {
    if (
      segment === '' ||
      segment === '.' ||
      segment === '..' ||
      segment.includes('\\') ||
      segment.includes('#') ||
      hasControlCharacter(segment)
    ) {
      throw usage(input, `the file path "${fileParts.join('/')}" has an empty or invalid part`, catalog);
    }
  }
  const fileName = checkFileName(fileParts[fileParts.length - 1] ?? '', input, catalog);
  const probeUrl = `${hubUrl}/${user}/${repo}/resolve/main/${fileParts.map(encodeURIComponent).join('/')}`;
  return { kind: 'hf', input, uri: `hf:${user}/${repo}/${fileParts.join('/')}`, probeUrl, fileName, onHub: true };
}

function checkRepo(user: string, repo: string, input: string, catalog: readonly CatalogModel[]): void {
  for (const segment of [user, repo]) {
    if (!nameSegment.test(segment))
      throw usage(input, `"${segment}" is not a valid hub user or repository name`, catalog);
  }
}

function parseHttpUrl(text: string, hubUrl: string, catalog: readonly CatalogModel[]): ModelSource {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw usage(text, 'it is not a valid URL', catalog);
  }
  if (url.username || url.password)
    throw usage(
      text,
      'credentials in the URL are not accepted (they would end up in logs); use HF_TOKEN for the hub',
      catalog,
    );
  const onHub = url.origin === new URL(hubUrl).origin;
  // A hub page link (…/blob/main/x.gguf) is the HTML viewer; the file itself is under /resolve/.
  if (onHub) url.pathname = url.pathname.replace(/^(\/[^/]+\/[^/]+)\/blob\//, '$1/resolve/');
  const last = url.pathname.split('/').pop() ?? '';
  let decoded: string;
  try {
    decoded = decodeURIComponent(last);
  } catch {
    throw usage(text, 'the file name in the URL is not valid percent-encoding', catalog);
  }
  const fileName = checkFileName(decoded, text, catalog);
  return { kind: 'url', input: text, uri: url.toString(), probeUrl: url.toString(), fileName, onHub };
}

function checkFileName(name: string, input: string, catalog: readonly CatalogModel[]): string {
  if (!name.toLowerCase().endsWith('.gguf'))
    throw usage(
      input,
      `"${name || '(none)'}" is not a .gguf file; the embedded provider loads GGUF models only`,
      catalog,
    );
  const part = splitPart.exec(name);
  if (part?.[1] !== undefined && Number(part[1]) !== 1) {
    throw usage(
      input,
      `"${name}" is a later part of a split model; pull the first part (…-00001-of-….gguf), which brings every part`,
      catalog,
    );
  }
  if (name.startsWith('.') || name.length > 200 || /[/\\<>:"|?*]/.test(name) || hasControlCharacter(name)) {
    throw usage(input, `"${name}" cannot be used as a file name`, catalog);
  }
  return name;
}

function hasControlCharacter(text: string): boolean {
  return [...text].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
}

function usage(input: string, why: string, catalog: readonly CatalogModel[]): NocturnalError {
  const names = catalog.map((m) => m.id).join(', ');
  return new NocturnalError(
    'usage',
    `cannot pull "${input}": ${why}. Expected a catalog name (${names}), hf:USER/REPO/FILE.gguf, hf:USER/REPO:QUANT, or an http(s) URL of a .gguf file`,
  );
}
