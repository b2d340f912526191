// The answers of the first-run flow (the window's three steps, `nocturnal init`'s three questions)
// as config settings. Both faces turn a choice into the same field values here, so a model picked in
// the window and one picked in the terminal produce the same config.yaml.
import { findCatalogModel } from '../models/catalog';

export type ModelChoice = { kind: 'server'; apiUrl: string; model: string } | { kind: 'embedded'; modelId: string };

export interface NightChoice {
  startTime: string;
  endTime: string;
  nightMode: boolean;
  notifications: boolean;
}

/** One config field to set: its path in config.yaml and the value. */
export interface ConfigSetting {
  path: [string, string];
  value: unknown;
}

export function modelChoiceSettings(choice: ModelChoice): ConfigSetting[] {
  if (choice.kind === 'server') {
    return [
      { path: ['llm', 'provider'], value: 'openai' },
      { path: ['llm', 'api_url'], value: choice.apiUrl },
      { path: ['llm', 'model'], value: choice.model },
    ];
  }
  const model = findCatalogModel(choice.modelId);
  if (!model) throw new Error(`${choice.modelId} is not in the model catalog (see \`nocturnal model list\`)`);
  // The file name `model pull` saves it as: the setting resolves as soon as the download lands.
  return [
    { path: ['llm', 'provider'], value: 'llama' },
    { path: ['llm', 'model_path'], value: model.fileName },
  ];
}

export function nightChoiceSettings(choice: NightChoice): ConfigSetting[] {
  return [
    { path: ['scheduler', 'start_time'], value: choice.startTime },
    { path: ['scheduler', 'end_time'], value: choice.endTime },
    { path: ['scheduler', 'night_mode'], value: choice.nightMode },
    { path: ['notifications', 'enabled'], value: choice.notifications },
  ];
}
