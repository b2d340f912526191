// The approval dialog for one attempt: its diff by file and hunk, checks before → after, the score
// breakdown and the model's review; Approve, Reject or Retry while it waits, Undo once merged.
// Keys: j/k move between files, a approves, r rejects (with the note typed, if any).
import { useEffect, useState } from 'react';
import type { ViewType } from 'react-diff-view';
import type { ReviewDetail } from '../../src-shared/domain/review';
import { Dialog } from '../components/Dialog';
import { DiffView } from '../components/DiffView';
import { LoadableView } from '../components/LoadableView';
import { ScoreBreakdown } from '../components/ScoreBreakdown';
import { useReviewStore } from '../stores/review-store';

export function ReviewDialog() {
  const detail = useReviewStore((s) => s.detail);
  const close = useReviewStore((s) => s.close);
  if (!detail) return null;
  const title = detail.status === 'ready' ? `Review: ${detail.data.task.title}` : 'Review';
  return (
    <Dialog title={title} onClose={close}>
      <LoadableView value={detail} what="the change">
        {(data) => <ReviewBody key={data.attempt.id} detail={data} />}
      </LoadableView>
    </Dialog>
  );
}

function isTyping(target: EventTarget): boolean {
  return (
    target instanceof HTMLTextAreaElement || target instanceof HTMLInputElement || target instanceof HTMLSelectElement
  );
}

function ReviewBody({ detail }: { detail: ReviewDetail }) {
  const { attempt, task } = detail;
  const busy = useReviewStore((s) => s.busy);
  const lastNote = useReviewStore((s) => s.lastNote);
  const actionError = useReviewStore((s) => s.actionError);
  const approve = useReviewStore((s) => s.approve);
  const reject = useReviewStore((s) => s.reject);
  const retry = useReviewStore((s) => s.retry);
  const undo = useReviewStore((s) => s.undo);
  const [fileIndex, setFileIndex] = useState(0);
  const [viewType, setViewType] = useState<ViewType>('unified');
  const [note, setNote] = useState('');

  const files = detail.diff?.files ?? [];
  const file = files[Math.min(fileIndex, Math.max(files.length - 1, 0))];
  const waiting = attempt.status === 'review';
  const merged = attempt.status === 'merged';
  const retryable = waiting || attempt.status === 'rejected' || attempt.status === 'failed';
  const targetTrouble =
    attempt.decision === 'held' || attempt.reasons.some((reason) => /conflict|moved|diverged/i.test(reason));

  // The dialog is modal, so its keys are the page's keys while it is open.
  useEffect(() => {
    const keyDown = (event: globalThis.KeyboardEvent) => {
      if ((event.target && isTyping(event.target)) || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === 'j') setFileIndex((i) => Math.min(i + 1, files.length - 1));
      else if (event.key === 'k') setFileIndex((i) => Math.max(i - 1, 0));
      else if (event.key === 'a' && waiting && !busy) void approve(attempt.id);
      else if (event.key === 'r' && waiting && !busy) void reject(attempt.id, note);
      else return;
      event.preventDefault();
    };
    document.addEventListener('keydown', keyDown);
    return () => document.removeEventListener('keydown', keyDown);
  }, [files.length, waiting, busy, approve, reject, attempt.id, note]);

  return (
    <div className="review-body">
      <p className="review-meta">
        <span className={`badge badge-${attempt.status}`}>{attempt.status}</span> {task.workspace} ·{' '}
        <code>{attempt.branch}</code> → <code>{attempt.targetBranch}</code> · score{' '}
        {attempt.score === null ? 'none' : attempt.score.toFixed(2)} · attempt {attempt.number}
      </p>
      {targetTrouble && (
        <div className="notice notice-warn" role="alert">
          <p className="notice-title">The target branch cannot take this change as it is</p>
          <p>
            It conflicts with, or the target moved since, the base this attempt started from. Retry to redo it on the
            new target.
          </p>
        </div>
      )}
      {lastNote && (
        <p className="notice notice-ok" role="status">
          {lastNote}
        </p>
      )}
      {actionError && (
        <p className="notice notice-error" role="alert">
          {actionError}
        </p>
      )}

      <div className="decide" role="group" aria-label="Decision">
        <label className="field grow">
          <span>Note (for a rejection, or the prompt of a retry)</span>
          <textarea value={note} onChange={(event) => setNote(event.target.value)} rows={2} />
        </label>
        <div className="decide-buttons">
          {waiting && (
            <button
              type="button"
              className="primary"
              disabled={busy}
              onClick={() => void approve(attempt.id)}
              aria-keyshortcuts="a"
            >
              Approve
            </button>
          )}
          {waiting && (
            <button
              type="button"
              className="danger"
              disabled={busy}
              onClick={() => void reject(attempt.id, note)}
              aria-keyshortcuts="r"
            >
              Reject
            </button>
          )}
          {retryable && (
            <button
              type="button"
              disabled={busy || task.status === 'queued'}
              onClick={() => void retry(attempt.id, task.id, note)}
            >
              Retry
            </button>
          )}
          {merged && (
            <button type="button" className="danger" disabled={busy} onClick={() => void undo(attempt.id)}>
              Undo
            </button>
          )}
        </div>
      </div>

      {attempt.reasons.length > 0 && (
        <section aria-label="Reasons">
          <h3>Reasons</h3>
          <ul>
            {attempt.reasons.map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
        </section>
      )}

      <section aria-label="Changes">
        <div className="diff-head">
          <h3>Changes{detail.diff?.truncated ? ' (cut short: the diff is longer than shown)' : ''}</h3>
          <div role="group" aria-label="Diff layout" className="segmented">
            <button type="button" aria-pressed={viewType === 'unified'} onClick={() => setViewType('unified')}>
              Unified
            </button>
            <button type="button" aria-pressed={viewType === 'split'} onClick={() => setViewType('split')}>
              Split
            </button>
          </div>
        </div>
        {files.length === 0 ? (
          <p className="muted">
            {detail.diff ? 'The change touches no files.' : 'No diff: the attempt has no commits to compare.'}
          </p>
        ) : (
          <>
            <ul className="file-list" aria-label="Changed files (j/k to move)">
              {files.map((f, index) => (
                <li key={f.path}>
                  <button
                    type="button"
                    aria-current={f === file ? 'true' : undefined}
                    onClick={() => setFileIndex(index)}
                  >
                    {f.path} <span className="ins">+{f.insertions}</span> <span className="del">−{f.deletions}</span>
                  </button>
                </li>
              ))}
            </ul>
            {file && <DiffView file={file} viewType={viewType} />}
          </>
        )}
      </section>

      <div className="review-columns">
        <section aria-label="Score">
          <h3>Score</h3>
          <ScoreBreakdown breakdown={detail.scoreBreakdown} label="Score breakdown" />
        </section>
        <section aria-label="Model review">
          <h3>Model review</h3>
          {detail.review ? (
            <>
              <p>
                {detail.review.verdict} · {detail.review.score.toFixed(2)} · {detail.review.model}
              </p>
              {detail.review.issues.length === 0 ? (
                <p className="muted">No issues raised.</p>
              ) : (
                <ul>
                  {detail.review.issues.map((issue) => (
                    <li key={issue}>{issue}</li>
                  ))}
                </ul>
              )}
            </>
          ) : (
            <p className="muted">No model review was recorded for this attempt.</p>
          )}
        </section>
      </div>

      <section aria-label="Checks">
        <h3>Checks</h3>
        {detail.checks.length === 0 ? (
          <p className="muted">No checks are configured for this workspace.</p>
        ) : (
          <table className="checks-table" aria-label="Checks before and after">
            <thead>
              <tr>
                <th scope="col">Check</th>
                <th scope="col">Before</th>
                <th scope="col">After</th>
                <th scope="col">Change</th>
              </tr>
            </thead>
            <tbody>
              {detail.checks.map((check) => (
                <tr key={check.name}>
                  <th scope="row">
                    {check.name} <code>{check.command}</code>
                  </th>
                  <td>{check.before ? (check.before.passed ? 'passed' : 'failed') : 'not run'}</td>
                  <td>{check.after ? (check.after.passed ? 'passed' : 'failed') : 'not run'}</td>
                  <td className={check.change === 'broken' || check.change === 'still-failing' ? 'bad' : 'ok'}>
                    {check.change}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {detail.checks.map((check) =>
          check.after?.output ? (
            <details key={check.name}>
              <summary>Output of {check.name} (after)</summary>
              <pre className="output">{check.after.output}</pre>
            </details>
          ) : null,
        )}
      </section>
    </div>
  );
}
