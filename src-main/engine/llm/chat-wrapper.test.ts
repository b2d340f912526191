import { Llama2ChatWrapper } from 'node-llama-cpp';
import { describe, expect, it } from 'vitest';
import { llama2WrapperFor } from './chat-wrapper';

// CodeLlama-Instruct's template, as its GGUF files carry it (and as the tiny test model does).
const codeLlamaTemplate =
  "{% if messages[0]['role'] == 'system' %}{% set loop_messages = messages[1:] %}{% set system_message = messages[0]['content'] %}{% else %}{% set loop_messages = messages %}{% set system_message = false %}{% endif %}" +
  "{% for message in loop_messages %}{% if loop.index0 == 0 and system_message != false %}{% set content = '<<SYS>>\\n' + system_message + '\\n<</SYS>>\\n\\n' + message['content'] %}{% else %}{% set content = message['content'] %}{% endif %}" +
  "{% if message['role'] == 'user' %}{{ bos_token + '[INST] ' + content.strip() + ' [/INST]' }}{% elif message['role'] == 'assistant' %}{{ ' '  + content.strip() + ' ' + eos_token }}{% endif %}{% endfor %}";
const mistralTemplate =
  "{{ bos_token }}{% for message in messages %}{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}{% else %}{{ message['content'] + eos_token }}{% endif %}{% endfor %}";
const chatMlTemplate =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}";

describe('llama2WrapperFor', () => {
  it('gives a Llama-2 [INST]/<<SYS>> template the Llama-2 wrapper, with its space before EOS', () => {
    const wrapper = llama2WrapperFor({ template: codeLlamaTemplate, names: ['CodeLlama 13B Instruct'] });
    expect(wrapper).toBeInstanceOf(Llama2ChatWrapper);
    const { contextText } = (wrapper as Llama2ChatWrapper).generateContextState({
      chatHistory: [
        { type: 'system', text: 'Be brief.' },
        { type: 'user', text: 'Hi' },
        { type: 'model', response: ['Hello'] },
        { type: 'user', text: 'Again' },
        { type: 'model', response: [] },
      ],
    });
    expect(contextText.toString()).toBe(
      'BOS[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\nHi [/INST] Hello EOSBOS[INST] Again [/INST]  ',
    );
  });

  it('leaves other formats to node-llama-cpp, Mistral’s [INST] without <<SYS>> included', () => {
    expect(llama2WrapperFor({ template: mistralTemplate, names: [] })).toBeUndefined();
    expect(llama2WrapperFor({ template: chatMlTemplate, names: ['codellama-13b-instruct'] })).toBeUndefined();
  });

  it('recognises CodeLlama-Instruct by name when the file has no template, but not the base model', () => {
    expect(llama2WrapperFor({ template: undefined, names: ['codellama-13b-instruct.Q4_K_M.gguf'] })).toBeInstanceOf(
      Llama2ChatWrapper,
    );
    expect(llama2WrapperFor({ template: undefined, names: ['CodeLlama 7B Instruct'] })).toBeInstanceOf(
      Llama2ChatWrapper,
    );
    expect(llama2WrapperFor({ template: undefined, names: ['codellama-13b.Q4_K_M.gguf'] })).toBeUndefined();
    expect(llama2WrapperFor({ template: undefined, names: ['qwen2.5-coder-7b-instruct-q4_k_m.gguf'] })).toBeUndefined();
  });
});
