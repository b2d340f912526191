import type { Command } from 'commander';
import type { CliContext } from '../cli-context';
import { registerDoctorCommand } from './doctor-command';
import { registerModelCommands } from './model-commands';
import { registerReportCommands } from './report-commands';
import { registerReviewCommands } from './review-commands';
import { registerRetryCommand } from './retry-command';
import { registerReviewShowCommand } from './review-show-command';
import { registerRunCommand } from './run-command';
import { registerServeCommand } from './serve-command';
import { registerTaskCommands } from './task-commands';
import { registerWorkspaceCommands } from './workspace-commands';
import { registerWorkspaceEditCommand } from './workspace-edit-command';
import { registerWorkspaceRemoveCommand } from './workspace-remove-command';

export function registerCommands(program: Command, context: () => CliContext): void {
  registerWorkspaceCommands(program, context);
  registerWorkspaceEditCommand(subcommand(program, 'workspace'), context);
  registerWorkspaceRemoveCommand(subcommand(program, 'workspace'), context);
  registerTaskCommands(program, context);
  registerRunCommand(program, context);
  registerReportCommands(program, context);
  registerReviewCommands(program, context);
  registerReviewShowCommand(subcommand(program, 'review'), context);
  registerRetryCommand(program, context);
  registerModelCommands(program, context);
  registerServeCommand(program, context);
  registerDoctorCommand(program, context);
}

/** A command group registered above, for the subcommands that live in files of their own. */
function subcommand(program: Command, name: string): Command {
  const found = program.commands.find((command) => command.name() === name);
  if (!found) throw new Error(`the "${name}" command group is not registered`);
  return found;
}
