// Step 1, the model: a model a server on this machine already serves (LM Studio, Ollama, llama.cpp
// server), or the embedded GGUF that fits this machine, downloaded while the user goes on.
import { useState } from 'react';
import type { SetupInfo } from '../../src-shared/domain/setup';
import { useModelsStore } from '../stores/models-store';
import { useFirstRunStore } from './first-run-store';
import { StepFrame } from './StepFrame';

type Choice = { kind: 'server'; apiUrl: string; model: string } | { kind: 'embedded'; modelId: string };

const gb = (bytes: number) => `${(bytes / 1e9).toFixed(1)} GB`;

export function ModelStep({ info }: { info: SetupInfo }) {
  const { found, skipped } = info.servers;
  const { recommended, why, options, totalMemoryBytes } = info.embedded;
  const [choice, setChoice] = useState<Choice>(() => {
    const server = found.find((s) => s.models.length > 0);
    const model = server?.models[0];
    return server && model
      ? { kind: 'server', apiUrl: server.apiUrl, model }
      : { kind: 'embedded', modelId: recommended.model.id };
  });
  const chooseServer = useFirstRunStore((s) => s.chooseServer);
  const chooseEmbedded = useFirstRunStore((s) => s.chooseEmbedded);
  const state = useFirstRunStore((s) => s.steps.model);
  const rescan = useFirstRunStore((s) => s.rescan);
  const rescanning = useFirstRunStore((s) => s.rescanning);
  const download = useModelsStore((s) => (choice.kind === 'embedded' ? s.downloads[choice.modelId] : undefined));
  const value = (c: Choice) => (c.kind === 'server' ? `server|${c.apiUrl}|${c.model}` : `embedded|${c.modelId}`);

  const confirm = () =>
    void (choice.kind === 'server' ? chooseServer(choice.apiUrl, choice.model) : chooseEmbedded(choice.modelId));

  return (
    <StepFrame id="model" number={1} title="Model" info={info} confirmLabel="Use this model" onConfirm={confirm}>
      <fieldset className="choice-list">
        <legend>Model servers on this machine</legend>
        {found.length === 0 ? (
          <p className="muted">
            No model server found on this machine (
            {skipped
              .map((s) => `${s.name} at ${s.apiUrl.replace(/^http:\/\//, '').replace(/\/v1$/, '')}: ${s.reason}`)
              .join('; ')}
            ).
          </p>
        ) : (
          found.map((server) => (
            <div
              key={server.apiUrl}
              role="group"
              aria-label={`${server.name} at ${server.apiUrl}`}
              className="server-models"
            >
              <p className="server-name">
                {server.name} <code>{server.apiUrl}</code> — {server.models.length}{' '}
                {server.models.length === 1 ? 'model' : 'models'}
              </p>
              {server.models.length === 0 && (
                <p className="muted">It lists no model; load one in {server.name} and look again.</p>
              )}
              {server.models.map((model) => {
                const c: Choice = { kind: 'server', apiUrl: server.apiUrl, model };
                return (
                  <label key={model} className="choice">
                    <input
                      type="radio"
                      name="model-choice"
                      value={value(c)}
                      checked={value(choice) === value(c)}
                      onChange={() => setChoice(c)}
                    />
                    <span>
                      {model} on {server.name}
                    </span>
                  </label>
                );
              })}
            </div>
          ))
        )}
        {found.length > 0 && skipped.length > 0 && (
          <p className="muted small">Not found: {skipped.map((s) => `${s.name} (${s.reason})`).join('; ')}.</p>
        )}
        <button type="button" onClick={() => void rescan()} disabled={rescanning}>
          {rescanning ? 'Looking…' : 'Look for servers again'}
        </button>
      </fieldset>
      <fieldset className="choice-list">
        <legend>
          Or the embedded model (runs inside Nocturnal; this machine has {gb(totalMemoryBytes)} of memory)
        </legend>
        <p className="muted small" id="model-why">
          {why}
        </p>
        {options.map((option) => {
          const c: Choice = { kind: 'embedded', modelId: option.model.id };
          const label = `${option.model.title}${option.model.id === recommended.model.id ? ' (recommended)' : ''}`;
          return (
            <label key={option.model.id} className="choice">
              <input
                type="radio"
                name="model-choice"
                value={value(c)}
                checked={value(choice) === value(c)}
                onChange={() => setChoice(c)}
                aria-describedby={option.model.id === recommended.model.id ? 'model-why' : undefined}
              />
              <span>
                {label}: {gb(option.model.sizeBytes)} download,{' '}
                {option.fits ? 'fits this machine' : 'does not fit this machine'}
                {option.downloaded ? ', already downloaded' : ''}
              </span>
            </label>
          );
        })}
      </fieldset>
      {download && (
        <DownloadLine
          state={download.state}
          done={download.progress?.bytesDone ?? null}
          total={download.progress?.bytesTotal ?? null}
          error={download.error}
        />
      )}
      {state.phase === 'saved' && choice.kind === 'embedded' && !download && (
        <p className="muted small">The download starts in the background; its progress shows here and under Models.</p>
      )}
    </StepFrame>
  );
}

function DownloadLine({
  state,
  done,
  total,
  error,
}: {
  state: string;
  done: number | null;
  total: number | null;
  error: string | null;
}) {
  if (state === 'failed') {
    return (
      <p className="notice notice-error" role="alert">
        The download failed: {error}. It resumes from where it stopped when you try again (Models view).
      </p>
    );
  }
  if (state === 'done') return <p role="status">Downloaded.</p>;
  if (state === 'cancelled') return <p role="status">Download cancelled.</p>;
  return (
    <div className="download">
      <label>
        <span>Downloading</span>{' '}
        <progress max={total ?? undefined} value={done ?? undefined} aria-label="Model download" />
      </label>
      <span className="muted small">
        {done === null ? 'connecting…' : `${gb(done)}${total === null ? '' : ` of ${gb(total)}`}`}
      </span>
    </div>
  );
}
