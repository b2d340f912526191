// The night plan from the status snapshot: what fits the window at the model's measured speed, and
// what waits. `compact` (the tray) shows the one-line summary; the report lists each task.
import type { NightPlan } from '../../src-shared/domain/app-state';

export function NightPlanSummary({ plan, compact = false }: { plan: NightPlan; compact?: boolean }) {
  if (compact) return <span className="night-plan-summary">{plan.summary}</span>;
  return (
    <section className="night-plan" aria-label="Night plan">
      <h3>Night plan</h3>
      <p className="night-plan-summary">{plan.summary}</p>
      <p className="muted">
        Model {plan.tokensPerSecond.toFixed(1)} tok/s ({plan.speedBasis}); context {plan.contextSize} tokens; window
        until {new Date(plan.windowEnd).toLocaleString()}
      </p>
      <ol className="night-plan-tasks">
        {plan.tasks.map((task) => (
          <li key={task.taskId} data-fits={task.fits ? 'yes' : 'no'}>
            <strong>{task.fits ? 'Fits' : 'Waits'}</strong> {task.title} ({task.priority}) — ~{task.tokens} tokens, ~
            {task.minutes} min,{' '}
            {task.basis === 'history'
              ? `from ${task.samples} past attempt${task.samples === 1 ? '' : 's'}`
              : 'estimated without history'}
          </li>
        ))}
      </ol>
    </section>
  );
}
