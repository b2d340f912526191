// Picks the chat format for an embedded model from the model's own metadata (its GGUF chat template
// and names), so prompts are laid out the way the model was fine-tuned to read them.
//
// node-llama-cpp's resolver does most of the work. Two Llama-2 cases get a nudge, because the default
// model (CodeLlama-Instruct) is one of them:
// - a Jinja template in the Llama-2 `[INST]`/`<<SYS>>` form (Mistral's `[INST]` without `<<SYS>>` is
//   left alone): node-llama-cpp swaps a template for its specialised wrapper only when test
//   conversations render to identical tokens, and the CodeLlama template misses by the space it
//   writes before EOS (template text vs. plain text, tokenised apart). The fallback then renders the
//   Jinja template on every call. The Llama-2 wrapper lays out the same [INST]/<<SYS>> turns, with
//   `addSpaceBeforeEos` copied from the template — the rule node-llama-cpp itself applies when it
//   cannot run a template.
// - no template at all (older conversions): by file name node-llama-cpp gives "codellama" the
//   general wrapper, which is right for the base model and wrong for CodeLlama-Instruct.
import { JinjaTemplateChatWrapper, Llama2ChatWrapper, resolveChatWrapper } from 'node-llama-cpp';
import type { ChatWrapper, LlamaModel } from 'node-llama-cpp';

export interface ChatFormatHints {
  /** `tokenizer.chat_template` from the GGUF metadata, if any. */
  template: string | undefined;
  /** Names that describe the model: GGUF general.name / general.basename and the file name. */
  names: string[];
}

export function resolveModelChatWrapper(model: LlamaModel, fileName: string): ChatWrapper {
  const resolved = resolveChatWrapper(model);
  const hints = chatFormatHints(model, fileName);
  const isGenericTemplate = resolved === null || resolved instanceof JinjaTemplateChatWrapper;
  if (isGenericTemplate || hints.template === undefined) {
    const llama2 = llama2WrapperFor(hints);
    if (llama2 !== undefined) return llama2;
  }
  return resolved ?? new Llama2ChatWrapper();
}

/** The Llama-2 wrapper when the hints say the model speaks the Llama-2 chat format, else undefined. */
export function llama2WrapperFor(hints: ChatFormatHints): Llama2ChatWrapper | undefined {
  const template = hints.template?.trim() ?? '';
  if (template !== '') {
    if (!template.includes('[INST]') || !template.includes('<<SYS>>')) return undefined;
    return new Llama2ChatWrapper({ addSpaceBeforeEos: template.includes("' ' + eos_token") });
  }
  const isCodeLlamaInstruct = hints.names.some((name) => /code[-_ ]?llama/i.test(name) && /instruct/i.test(name));
  return isCodeLlamaInstruct ? new Llama2ChatWrapper() : undefined;
}

function chatFormatHints(model: LlamaModel, fileName: string): ChatFormatHints {
  const metadata = model.fileInfo.metadata;
  const template: unknown = metadata.tokenizer.chat_template;
  const general = metadata.general as { name?: unknown; basename?: unknown } | undefined;
  const names = [general?.name, general?.basename, fileName].filter(
    (n): n is string => typeof n === 'string' && n !== '',
  );
  return { template: typeof template === 'string' && template.trim() !== '' ? template : undefined, names };
}
