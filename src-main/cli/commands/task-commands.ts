import { Option } from 'commander';
import type { Command } from 'commander';
import type { Task } from '../../../src-shared/domain/records';
import { taskPriorities, taskStatuses } from '../../../src-shared/domain/task';
import type { TaskPriority, TaskStatus } from '../../../src-shared/domain/task';
import type { CliContext } from '../cli-context';
import { writeJson, writeLine } from '../cli-io';
import { collect } from './parse-options';

interface AddOptions {
  description?: string;
  criteria?: string[];
  priority?: TaskPriority;
  file?: string[];
  spec?: boolean;
  json?: boolean;
}

export function registerTaskCommands(program: Command, context: () => CliContext): void {
  const task = program.command('task').description('queue and inspect coding tasks');

  task
    .command('add')
    .description('queue a task for the next night')
    .argument('<workspace>', 'workspace name')
    .argument('<title>', 'what to do, in one line')
    .option('--description <text>', 'more detail')
    .option('--criteria <text>', 'an acceptance criterion (repeatable)', collect)
    .addOption(new Option('--priority <p>', 'how soon').choices(taskPriorities).default('medium'))
    .option('--file <path>', 'a file the task is about, relative to the repository (repeatable)', collect)
    .option('--spec', 'plan with a spec before editing')
    .option('--json', 'print the task as `task show --json` does')
    .action(async (workspace: string, title: string, options: AddOptions) => {
      const ctx = context();
      const added = await ctx.call('tasks:add', {
        workspace,
        title,
        description: options.description,
        criteria: options.criteria,
        priority: options.priority,
        files: options.file,
        spec: options.spec ?? false,
      });
      if (options.json) return writeJson(ctx.io.stdout, added);
      writeLine(ctx.io.stdout, added.id);
    });

  task
    .command('list')
    .description('list tasks')
    .option('--json', 'print JSON')
    .addOption(new Option('--status <status>', 'only tasks in this state').choices(taskStatuses))
    .action(async (options: { json?: boolean; status?: TaskStatus }) => {
      const ctx = context();
      const list = await ctx.call('tasks:list', { status: options.status });
      if (options.json) return writeJson(ctx.io.stdout, list);
      if (list.length === 0)
        return writeLine(
          ctx.io.stdout,
          options.status ? `no ${options.status} tasks` : 'no tasks yet: nocturnal task add WORKSPACE "what to do"',
        );
      for (const t of list) writeLine(ctx.io.stdout, `${t.id}\t${t.status}\t${t.priority}\t${t.workspace}\t${t.title}`);
    });

  task
    .command('show')
    .description('show a task with its attempts')
    .argument('<id>', 'task id')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean }) => {
      const ctx = context();
      const shown = await ctx.call('tasks:get', { id });
      if (options.json) return writeJson(ctx.io.stdout, shown);
      printTask(ctx, shown);
    });

  task
    .command('cancel')
    .description('cancel a queued or waiting task')
    .argument('<id>', 'task id')
    .action(async (id: string) => {
      const ctx = context();
      const cancelled = await ctx.call('tasks:cancel', { id });
      writeLine(ctx.io.stdout, `cancelled ${cancelled.id}: ${cancelled.title}`);
    });
}

function printTask(ctx: CliContext, task: Task): void {
  const out = ctx.io.stdout;
  writeLine(out, `${task.id}  ${task.title}`);
  writeLine(
    out,
    `  workspace ${task.workspace}, priority ${task.priority}, ${task.executor} executor, status ${task.status}${task.statusReason ? ` (${task.statusReason})` : ''}`,
  );
  if (task.description) writeLine(out, `  ${task.description}`);
  for (const c of task.criteria) writeLine(out, `  - ${c}`);
  if (task.files.length) writeLine(out, `  files: ${task.files.join(', ')}`);
  if (task.retryNote) writeLine(out, `  retry note: ${task.retryNote}`);
  for (const a of task.attempts) {
    writeLine(
      out,
      `  attempt ${a.id} on ${a.branch}: ${a.status}${a.score !== null ? `, score ${a.score.toFixed(2)}` : ''}${a.decision ? `, decision ${a.decision}` : ''}`,
    );
    for (const r of a.reasons) writeLine(out, `    · ${r.split('\n')[0]}`);
  }
}
