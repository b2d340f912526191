import { describe, expect, it } from 'vitest';
import { recommendModel } from './recommend-model';

const GB = 1e9;

describe('recommendModel', () => {
  it('recommends the default CodeLlama 13B where it fits, and names the stronger model that also fits', () => {
    const r = recommendModel(24 * GB);
    expect(r.recommended.model.id).toBe('codellama-13b-instruct');
    expect(r.recommended.fits).toBe(true);
    expect(r.why).toBe(
      "CodeLlama 13B Instruct (Q4_K_M) is the product's default and fits 24 GB of memory (needs about 12 GB); Qwen2.5-Coder 14B Instruct (Q4_K_M) also fits: recommended with 16 GB or more: clearly better plans and edits than the 7B, about twice as slow",
    );
    expect(r.options[0]?.model.id).toBe('codellama-13b-instruct');
    expect(r.options.find((o) => o.model.id === 'qwen2.5-coder-32b-instruct')?.fits).toBe(false);
  });

  it('on a machine too small for the default, recommends the largest model that fits and says what the default needs', () => {
    const r = recommendModel(8 * GB);
    expect(r.recommended.model.id).toBe('qwen2.5-coder-7b-instruct');
    expect(r.why).toBe(
      'Qwen2.5-Coder 7B Instruct (Q4_K_M) is the largest model that fits 8.0 GB of memory (needs about 6.0 GB); the default CodeLlama 13B Instruct (Q4_K_M) needs about 12 GB',
    );
    expect(r.options.filter((o) => o.fits).map((o) => o.model.id)).toEqual([
      'qwen2.5-coder-7b-instruct',
      'qwen2.5-coder-1.5b-instruct',
    ]);
  });

  it('says plainly when nothing fits', () => {
    const r = recommendModel(1 * GB);
    expect(r.recommended).toMatchObject({ fits: false, model: { id: 'qwen2.5-coder-1.5b-instruct' } });
    expect(r.why).toMatch(
      /^no catalog model fits 1\.0 GB of memory; .* consider an OpenAI-compatible server on a bigger machine$/,
    );
  });
});
