import type { Command } from 'commander';
import type { CliContext } from '../cli-context';
import { registerModelCommands } from './model-commands';
import { registerReportCommands } from './report-commands';
import { registerReviewCommands } from './review-commands';
import { registerRunCommand } from './run-command';
import { registerServeCommand } from './serve-command';
import { registerTaskCommands } from './task-commands';
import { registerWorkspaceCommands } from './workspace-commands';

export function registerCommands(program: Command, context: () => CliContext): void {
  registerWorkspaceCommands(program, context);
  registerTaskCommands(program, context);
  registerRunCommand(program, context);
  registerReportCommands(program, context);
  registerReviewCommands(program, context);
  registerModelCommands(program, context);
  registerServeCommand(program, context);
}
