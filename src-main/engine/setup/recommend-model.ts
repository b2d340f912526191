// Which embedded model to offer on first run. The product's default (CodeLlama-13B-Instruct) is
// recommended wherever it fits; where it does not, the largest catalog model that fits is, and the
// answer always says why, so the user can choose differently with their eyes open.
import { defaultCatalogModel, modelCatalog } from '../models/catalog';
import type { CatalogModel } from '../models/catalog';

/** Share of the machine's memory a model may take: the OS, the editor and the checks need the rest. */
export const MODEL_MEMORY_SHARE = 0.75;

export interface ModelFit {
  model: CatalogModel;
  /** Whether its estimated resident memory fits this machine's share for models. */
  fits: boolean;
}

export interface ModelRecommendation {
  recommended: ModelFit;
  /** One sentence: why this one, and when another would be better. */
  why: string;
  /** Every catalog model with its fit, recommended first. */
  options: ModelFit[];
}

export function recommendModel(
  totalMemoryBytes: number,
  catalog: readonly CatalogModel[] = modelCatalog,
): ModelRecommendation {
  if (catalog.length === 0) throw new Error('the model catalog is empty');
  const budget = totalMemoryBytes * MODEL_MEMORY_SHARE;
  const fit = (model: CatalogModel): ModelFit => ({ model, fits: model.ramBytes <= budget });
  const all = catalog.map(fit);
  const fitting = all.filter((f) => f.fits).sort((a, b) => b.model.ramBytes - a.model.ramBytes);
  const fallback = defaultCatalogModel(catalog);
  const memory = `${gigabytes(totalMemoryBytes)} of memory`;

  let recommended: ModelFit;
  let why: string;
  const defaultFit = fallback ? fit(fallback) : undefined;
  if (defaultFit?.fits) {
    recommended = defaultFit;
    // The strongest other model that fits: the catalog's note says what it does better.
    const stronger = fitting.find((f) => !f.model.isDefault);
    why =
      `${defaultFit.model.title} is the product's default and fits ${memory} (needs about ${gigabytes(defaultFit.model.ramBytes)})` +
      (stronger ? `; ${stronger.model.title} also fits: ${stronger.model.note}` : '');
  } else if (fitting[0]) {
    recommended = fitting[0];
    why =
      `${recommended.model.title} is the largest model that fits ${memory} (needs about ${gigabytes(recommended.model.ramBytes)})` +
      (defaultFit ? `; the default ${defaultFit.model.title} needs about ${gigabytes(defaultFit.model.ramBytes)}` : '');
  } else {
    const smallest = [...all].sort((a, b) => a.model.ramBytes - b.model.ramBytes)[0] as ModelFit;
    recommended = smallest;
    why = `no catalog model fits ${memory}; ${smallest.model.title} is the smallest (about ${gigabytes(smallest.model.ramBytes)}) — consider an OpenAI-compatible server on a bigger machine`;
  }
  const options = [recommended, ...all.filter((f) => f.model.id !== recommended.model.id)];
  return { recommended, why, options };
}

function gigabytes(bytes: number): string {
  return `${(bytes / 1e9).toFixed(bytes >= 10e9 ? 0 : 1)} GB`;
}
