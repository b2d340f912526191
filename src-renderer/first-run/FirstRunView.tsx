// The first run in the window: model, repository, night — each confirmed or skipped on its own, in
// any order. Shown by itself on a fresh home and reachable again from the Setup view while anything
// is missing.
import { useEffect } from 'react';
import { LoadableView } from '../components/LoadableView';
import type { SetupInfo } from '../../src-shared/domain/setup';
import { useFirstRunStore } from './first-run-store';
import { useLiveChecklist } from './live-checklist';
import { ModelStep } from './ModelStep';
import { NightStep } from './NightStep';
import { RepositoryStep } from './RepositoryStep';

export function FirstRunView() {
  const info = useFirstRunStore((s) => s.info);
  const load = useFirstRunStore((s) => s.load);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <section className="view first-run" aria-labelledby="first-run-heading">
      <h2 id="first-run-heading">Set up your first night</h2>
      <p className="muted">
        Three steps; each can be skipped and finished later. Nothing is written until you confirm a step.
      </p>
      <LoadableView value={info} what="what this machine offers (looking for model servers…)">
        {(data) => <Steps info={data} />}
      </LoadableView>
    </section>
  );
}

function Steps({ info }: { info: SetupInfo }) {
  const checklist = useLiveChecklist(info);
  return (
    <>
      {checklist.complete ? (
        <p className="notice" role="status">
          Ready: a model, a repository and an armed night. <a href="#/report">Go to the morning report</a>
        </p>
      ) : (
        <p className="muted">
          Still missing:{' '}
          {checklist.steps
            .filter((s) => !s.done)
            .map((s) => s.missing)
            .join('; ')}
          .
        </p>
      )}
      <ModelStep info={info} />
      <RepositoryStep info={info} />
      <NightStep info={info} />
    </>
  );
}
