// The model manager: the catalog and what is installed, downloads with live progress (cancel keeps the
// partial file, pulling again resumes it), use, remove and free memory now.
import { fitsMachine, modelMemoryShare } from '../../src-shared/domain/models';
import type { InstalledModel, ModelProgress } from '../../src-shared/domain/models';
import { EmptyState } from '../components/EmptyState';
import { LoadableView } from '../components/LoadableView';
import { useModelsStore } from '../stores/models-store';
import { useStatusStore } from '../stores/status-store';
import { formatBytes } from './format';

export function ModelsView() {
  const list = useModelsStore((s) => s.list);
  const note = useModelsStore((s) => s.note);
  const actionError = useModelsStore((s) => s.actionError);
  const free = useModelsStore((s) => s.free);
  const loaded = useStatusStore((s) => (s.status.status === 'ready' ? s.status.data.modelLoaded : false));
  return (
    <section className="view" aria-labelledby="models-heading">
      <div className="view-head">
        <h2 id="models-heading">Models</h2>
        <button type="button" onClick={() => void free()} disabled={!loaded}>
          Free memory now
        </button>
      </div>
      {note && (
        <p className="notice notice-ok" role="status">
          {note}
        </p>
      )}
      {actionError && (
        <p className="notice notice-error" role="alert">
          {actionError}
        </p>
      )}
      <LoadableView value={list} what="the models">
        {(data) => (
          <>
            <p className="muted">
              Provider <strong>{data.provider}</strong> · models folder <code>{data.modelsDir}</code>
              {data.provider === 'llama' &&
                (data.activePath
                  ? ` · using ${data.activePath}${data.activeExists ? '' : ' (file missing)'}`
                  : ' · no model chosen yet')}{' '}
              · this machine has {formatBytes(data.machineMemoryBytes)} of memory; a model fits when it needs at most{' '}
              {Math.round(modelMemoryShare * 100)}% of it
            </p>
            {data.models.length === 0 ? (
              <EmptyState title="No models">The catalog is empty and nothing is installed.</EmptyState>
            ) : (
              <table className="models-table" aria-label="Models">
                <thead>
                  <tr>
                    <th scope="col">Model</th>
                    <th scope="col">Download size</th>
                    <th scope="col">Memory needed</th>
                    <th scope="col">Fits this machine</th>
                    <th scope="col">State</th>
                    <th scope="col">Actions</th>
                  </tr>
                </thead>
                <tbody>
                  {data.models.map((model) => (
                    <ModelRow key={model.path} model={model} machineMemoryBytes={data.machineMemoryBytes} />
                  ))}
                </tbody>
              </table>
            )}
          </>
        )}
      </LoadableView>
    </section>
  );
}

function progressText(progress: ModelProgress): string {
  if (progress.state !== 'downloading') return progress.error ? `${progress.state}: ${progress.error}` : progress.state;
  const p = progress.progress;
  if (!p) return 'starting…';
  const total = p.bytesTotal ? ` of ${formatBytes(p.bytesTotal)}` : '';
  return `${p.phase} ${formatBytes(p.bytesDone)}${total}${p.etaSeconds !== null ? ` · ${Math.ceil(p.etaSeconds)}s left` : ''}`;
}

function ModelRow({ model, machineMemoryBytes }: { model: InstalledModel; machineMemoryBytes: number }) {
  const download = useModelsStore(
    (s) => s.downloads[model.catalog?.id ?? model.name] ?? s.downloads[model.catalog?.uri ?? ''],
  );
  const pull = useModelsStore((s) => s.pull);
  const cancel = useModelsStore((s) => s.cancel);
  const use = useModelsStore((s) => s.use);
  const remove = useModelsStore((s) => s.remove);
  const key = model.catalog?.id ?? model.name;
  const label = model.catalog?.title ?? model.name;
  const downloading = download?.state === 'downloading';
  const p = download?.progress;
  return (
    <tr>
      <th scope="row">
        {label}
        {model.catalog?.isDefault ? <span className="badge">recommended</span> : null}
        {model.catalog?.note ? <div className="muted small">{model.catalog.note}</div> : null}
      </th>
      <td>
        {model.sizeBytes !== null
          ? formatBytes(model.sizeBytes)
          : model.catalog
            ? `~${formatBytes(model.catalog.sizeBytes)}`
            : 'unknown'}
      </td>
      <td>{model.catalog ? `~${formatBytes(model.catalog.ramBytes)}` : 'unknown'}</td>
      <td>{model.catalog ? (fitsMachine(model.catalog.ramBytes, machineMemoryBytes) ? 'yes' : 'no') : 'unknown'}</td>
      <td>
        {model.inUse
          ? 'in use'
          : model.installed
            ? 'installed'
            : model.partialBytes
              ? `partial (${formatBytes(model.partialBytes)}), resumable`
              : 'not installed'}
        {download && (
          <div className="small" role="status">
            {progressText(download)}
            {downloading && p?.bytesTotal ? (
              <progress max={p.bytesTotal} value={p.bytesDone} aria-label={`Download of ${label}`} />
            ) : null}
          </div>
        )}
      </td>
      <td className="row-actions">
        {!model.installed && !downloading && (
          <button
            type="button"
            onClick={() => void pull(key)}
            aria-label={`${model.partialBytes ? 'Resume' : 'Download'} ${label}`}
          >
            {model.partialBytes ? 'Resume' : 'Download'}
          </button>
        )}
        {downloading && (
          <button type="button" onClick={() => void cancel(key)} aria-label={`Cancel download of ${label}`}>
            Cancel
          </button>
        )}
        {model.installed && !model.inUse && (
          <button type="button" onClick={() => void use(model.name)} aria-label={`Use ${label}`}>
            Use
          </button>
        )}
        {(model.installed || model.partialBytes) && !model.external && (
          <button
            type="button"
            className="danger"
            onClick={() => void remove(model.name)}
            aria-label={`Remove ${label}`}
          >
            Remove
          </button>
        )}
      </td>
    </tr>
  );
}
