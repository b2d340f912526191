// The first run's channels (`setup:*`): what is missing, which model servers run on this machine and
// which embedded model fits it, and the three confirmed answers written through the one config
// writer. The window's first-run flow calls these; `nocturnal init` turns the same choices into the
// same settings (first-run-choices.ts), so both faces write the same config.yaml.
import fs from 'node:fs';
import os from 'node:os';
import type { ChannelHandlers } from '../../../src-shared/api/dispatch';
import type { Engine } from '../engine';
import { NocturnalError } from '../errors/nocturnal-error';
import { resolveModelFile } from '../llm/resolve-model-file';
import { findCatalogModel } from '../models/catalog';
import { discoverLocalServers } from '../setup/discover-servers';
import { modelChoiceSettings, nightChoiceSettings } from '../setup/first-run-choices';
import type { ConfigSetting } from '../setup/first-run-choices';
import { localServersToProbe } from '../setup/local-servers';
import { recommendModel } from '../setup/recommend-model';

type SetupChannels = 'setup:get' | 'setup:useServer' | 'setup:useEmbedded' | 'setup:setNight';

export interface SetupHandlerDeps {
  engine: Engine;
  /** Starts a download through `models:pull` (progress as models:progress events); never awaited here. */
  startPull(uri: string): void;
  /** This machine's memory (tests pass their own to judge fits deterministically). */
  totalMemoryBytes?: () => number;
}

export function createSetupHandlers(deps: SetupHandlerDeps): Pick<ChannelHandlers, SetupChannels> {
  const { engine } = deps;
  const totalMemory = deps.totalMemoryBytes ?? (() => os.totalmem());
  const downloaded = (fileName: string) => fs.existsSync(resolveModelFile(fileName, engine.paths.models));

  return {
    'setup:get': async () => {
      const config = engine.config;
      const servers = await discoverLocalServers({ servers: localServersToProbe(config.llm.api_url) });
      const memory = totalMemory();
      const recommendation = recommendModel(memory);
      const fit = (f: (typeof recommendation.options)[number]) => ({
        model: f.model,
        fits: f.fits,
        downloaded: downloaded(f.model.fileName),
      });
      const zone =
        config.scheduler.timezone === 'local'
          ? Intl.DateTimeFormat().resolvedOptions().timeZone
          : config.scheduler.timezone;
      return {
        checklist: engine.status().setup,
        servers,
        embedded: {
          totalMemoryBytes: memory,
          recommended: fit(recommendation.recommended),
          why: recommendation.why,
          options: recommendation.options.map(fit),
        },
        timezone: zone,
      };
    },
    'setup:useServer': ({ apiUrl, model }) =>
      writeSettings(engine, modelChoiceSettings({ kind: 'server', apiUrl: apiUrl.replace(/\/+$/, ''), model })),
    'setup:useEmbedded': ({ modelId }) => {
      const model = findCatalogModel(modelId);
      if (!model)
        throw new NocturnalError('validation', `modelId: ${modelId} is not in the model catalog (see models:list)`);
      writeSettings(engine, modelChoiceSettings({ kind: 'embedded', modelId }));
      const present = downloaded(model.fileName);
      // The answer comes now; the download runs on and reports through models:progress while the user
      // goes on with the next step. models:pull resumes a partial file.
      if (!present) deps.startPull(model.id);
      return { modelId: model.id, uri: model.uri, downloading: !present };
    },
    'setup:setNight': (choice) => writeSettings(engine, nightChoiceSettings(choice)),
  };
}

function writeSettings(engine: Engine, settings: ConfigSetting[]) {
  let config = engine.config;
  for (const setting of settings) config = engine.configStore.set(setting.path.join('.'), setting.value);
  return config;
}
