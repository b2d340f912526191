// One step of the first run: its heading with whether it is done, what is missing, and the two ways
// on — confirm (the only thing that writes) or skip (writes nothing; the step stays open for later).
import type { ReactNode } from 'react';
import type { SetupInfo, SetupStepId } from '../../src-shared/domain/setup';
import { useFirstRunStore } from './first-run-store';
import { useLiveChecklist } from './live-checklist';

export interface StepFrameProps {
  id: SetupStepId;
  number: number;
  title: string;
  info: SetupInfo;
  confirmLabel: string | null;
  onConfirm: () => void;
  children: ReactNode;
}

export function StepFrame({ id, number, title, info, confirmLabel, onConfirm, children }: StepFrameProps) {
  const state = useFirstRunStore((s) => s.steps[id]);
  const skip = useFirstRunStore((s) => s.skip);
  const reopen = useFirstRunStore((s) => s.reopen);
  const checklist = useLiveChecklist(info);
  const check = checklist.steps.find((s) => s.id === id);
  const headingId = `first-run-${id}`;
  const badge = check?.done ? 'done' : state.phase === 'skipped' ? 'skipped' : 'to do';
  return (
    <section className="card first-run-step" aria-labelledby={headingId}>
      <div className="card-head">
        <h3 id={headingId}>
          {number}. {title} <span className={`badge badge-${badge.replace(' ', '-')}`}>({badge})</span>
        </h3>
      </div>
      {check && !check.done && check.missing && <p className="muted">Missing: {check.missing}</p>}
      {state.phase === 'skipped' ? (
        <p>
          Skipped for now; nothing was written.{' '}
          <button type="button" onClick={() => reopen(id)}>
            Set up {title.toLowerCase()} now
          </button>
        </p>
      ) : (
        <>
          {children}
          {state.phase === 'error' && (
            <p className="notice notice-error" role="alert">
              {state.message}
            </p>
          )}
          {state.phase === 'saved' && <p role="status">Saved: {state.note}</p>}
          <div className="form-actions">
            {confirmLabel && (
              <button type="button" className="primary" disabled={state.phase === 'saving'} onClick={onConfirm}>
                {state.phase === 'saving' ? 'Saving…' : confirmLabel}
              </button>
            )}
            {state.phase !== 'saved' && (
              <button type="button" onClick={() => skip(id)} aria-label={`Skip for now (${title.toLowerCase()})`}>
                Skip for now
              </button>
            )}
          </div>
        </>
      )}
    </section>
  );
}
