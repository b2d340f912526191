import type { Command } from 'commander';
import { renderReportMarkdown } from '../../engine/report/render-report';
import type { CliContext } from '../cli-context';
import { writeJson, writeLine } from '../cli-io';

export function registerReportCommands(program: Command, context: () => CliContext): void {
  program
    .command('report')
    .description("a session's report (the latest by default)")
    .option('--session <id>', 'session id')
    .option('--json', 'print JSON')
    .option('--markdown', 'print Markdown (the default for a terminal)')
    .action(async (options: { session?: string; json?: boolean; markdown?: boolean }) => {
      const ctx = context();
      if (options.json && options.markdown)
        throw new (await import('../../engine/errors/nocturnal-error')).NocturnalError(
          'usage',
          'choose one of --json and --markdown',
        );
      const report = await ctx.call('report:get', { sessionId: options.session });
      if (options.json) return writeJson(ctx.io.stdout, report);
      ctx.io.stdout.write(renderReportMarkdown(report));
    });

  program
    .command('status')
    .description('engine state, queue counts and the last session')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const ctx = context();
      const status = await ctx.call('status:get', {});
      if (options.json) return writeJson(ctx.io.stdout, status);
      const out = ctx.io.stdout;
      // What stands between this home and an armed night comes first: it is what the user must act on.
      for (const step of status.setup.steps)
        if (!step.done) writeLine(out, `not ready: ${step.missing ?? step.id} → ${step.fix ?? ''}`);
      writeLine(out, `home: ${status.home}`);
      writeLine(
        out,
        status.running
          ? `running: pid ${status.running.pid} (${status.running.purpose}) since ${status.running.since}`
          : 'idle',
      );
      const night = status.nightMode;
      const window = `${night.window.startTime}–${night.window.endTime} ${night.window.timezone}`;
      writeLine(
        out,
        `night mode: ${night.enabled ? `on (${window})${status.windowOpen ? ', the window is open' : status.nextStart ? `, next start ${status.nextStart}` : ''}` : `off (window ${window})`}`,
      );
      writeLine(out, `model: ${status.provider} ${status.model ?? '(not set: see llm.model_path)'}`);
      if (status.contextSizing !== undefined) writeLine(out, `context: ${status.contextSizing}`);
      writeLine(
        out,
        `tasks: ${
          Object.entries(status.queue)
            .filter(([, n]) => n > 0)
            .map(([s, n]) => `${n} ${s}`)
            .join(', ') || 'none'
        }`,
      );
      for (const failed of status.setupFailures)
        writeLine(
          out,
          `workspace ${failed.workspace}: dependency setup FAILED: ${failed.message.split('\n')[0] ?? ''} (fix it, then \`nocturnal workspace check ${failed.workspace}\`)`,
        );
      if (status.budget && (status.budget.spentUsd > 0 || status.budget.alerts.length > 0)) {
        const { budget } = status;
        writeLine(
          out,
          `budget ${budget.month}: $${budget.spentUsd.toFixed(2)} of $${budget.budgetUsd.toFixed(2)} spent (${Math.round(budget.share * 100)}%)`,
        );
        for (const alert of budget.alerts) {
          writeLine(
            out,
            `budget alert: ${Math.round(alert.threshold * 100)}% reached at ${alert.raisedAt} ($${alert.spentUsd.toFixed(2)})${alert.blocksPaidModels ? '; paid models are refused until next month (raise cost.monthly_budget_usd or use a local model)' : ''}`,
          );
        }
      }
      if (status.plan) {
        const plan = status.plan;
        writeLine(
          out,
          `plan: ${plan.summary} (window until ${plan.windowEnd}; model ${plan.tokensPerSecond.toFixed(1)} tok/s, ${plan.speedBasis}; context ${plan.contextSize})`,
        );
        for (const t of plan.tasks) {
          const basis =
            t.basis === 'history' ? `from ${t.samples} past attempt(s)` : 'prior: no history in this workspace';
          writeLine(
            out,
            `  ${t.fits ? 'fits ' : 'waits'}  ${t.title} (${t.taskId}, ${t.priority}): ~${t.tokens} tokens, ~${t.minutes} min, ${basis}`,
          );
        }
      }
      if (status.waitingReviews > 0)
        writeLine(out, `waiting for review: ${status.waitingReviews} (nocturnal review list)`);
      const last = status.lastSession;
      writeLine(
        out,
        last
          ? `last session: ${last.id} ${last.status}, ${last.stats.merged} merged, ${last.stats.review} waiting, ${last.stats.rejected} rejected, ${last.stats.failed} failed`
          : 'no session yet',
      );
    });
}
