// Queueing and managing tasks. Input is validated here so that every face (CLI, IPC, web) gets the
// same errors.
import type { Task } from '../../../src-shared/domain/records';
import { taskPrioritySchema, taskStatusSchema } from '../../../src-shared/domain/task';
import type { TaskExecutor, TaskStatus } from '../../../src-shared/domain/task';
import {
  taskCriteriaSchema,
  taskDescriptionSchema,
  taskFilesSchema,
  taskTitleSchema,
} from '../../../src-shared/domain/text-fields';
import { NocturnalError } from '../errors/nocturnal-error';
import { parseInput } from '../errors/parse-input';
import type { Store } from '../store/store';
import type { WorkspaceService } from '../workspaces/workspace-service';

export interface AddTaskInput {
  workspace: string;
  title: string;
  description?: string | undefined;
  criteria?: string[] | undefined;
  priority?: string | undefined;
  files?: string[] | undefined;
  executor?: TaskExecutor | undefined;
}

export class TaskService {
  constructor(
    private readonly store: Store,
    private readonly workspaces: WorkspaceService,
    private readonly now: () => Date,
  ) {}

  add(input: AddTaskInput): Task {
    const workspace = this.workspaces.require(input.workspace);
    if (input.title.trim() === '')
      throw new NocturnalError('usage', 'TITLE: a task needs a title that says what to do');
    const title = parseInput(taskTitleSchema, input.title, 'TITLE');
    const description = parseInput(taskDescriptionSchema, input.description ?? '', '--description');
    const criteria = parseInput(taskCriteriaSchema, input.criteria ?? [], '--criteria');
    const priority = taskPrioritySchema.safeParse(input.priority ?? 'medium');
    if (!priority.success)
      throw new NocturnalError('usage', `--priority: "${input.priority}" is not one of low, medium, high, critical`);
    const files = parseInput(taskFilesSchema, input.files ?? [], '--file').map((file) => normaliseRepoPath(file));
    return this.store.tasks.add(
      {
        workspaceId: workspace.id,
        title,
        description,
        criteria,
        priority: priority.data,
        executor: input.executor ?? 'direct',
        files,
      },
      this.now(),
    );
  }

  /** Changes a queued task; fields left undefined keep their value. */
  update(id: string, changes: Partial<Omit<AddTaskInput, 'workspace'>>): Task {
    const title = changes.title?.trim();
    if (title === '') throw new NocturnalError('usage', 'title: a task needs a title that says what to do');
    const priority = changes.priority === undefined ? undefined : taskPrioritySchema.safeParse(changes.priority);
    if (priority && !priority.success)
      throw new NocturnalError('usage', `priority: "${changes.priority}" is not one of low, medium, high, critical`);
    return this.store.tasks.update(
      id,
      {
        title,
        description: changes.description?.trim(),
        criteria: changes.criteria?.map((c) => c.trim()).filter((c) => c !== ''),
        priority: priority?.data,
        executor: changes.executor,
        files: changes.files?.map((file) => normaliseRepoPath(file)),
      },
      this.now(),
    );
  }

  list(filter: { status?: string | undefined } = {}): Task[] {
    if (filter.status === undefined) return this.store.tasks.list();
    const status = taskStatusSchema.safeParse(filter.status);
    if (!status.success)
      throw new NocturnalError(
        'usage',
        `--status: "${filter.status}" is not one of ${taskStatusSchema.options.join(', ')}`,
      );
    return this.store.tasks.list({ status: status.data });
  }

  show(id: string): Task {
    return this.store.tasks.require(id);
  }

  cancel(id: string): Task {
    const task = this.store.tasks.require(id);
    if (task.status !== 'queued' && task.status !== 'review') {
      throw new NocturnalError(
        'conflict',
        `task ${id} is ${task.status}; only queued or waiting tasks can be cancelled`,
      );
    }
    return this.store.tasks.transition(id, 'cancelled', this.now(), { reason: 'cancelled by the user' });
  }

  counts(): Record<TaskStatus, number> {
    return this.store.tasks.countsByStatus();
  }
}

/** Task files are repo-relative with '/' separators; anything else is refused up front. */
function normaliseRepoPath(file: string): string {
  const normalised = file.replaceAll('\\', '/').replace(/^\.\//, '');
  if (
    normalised === '' ||
    normalised.startsWith('/') ||
    /^[A-Za-z]:/.test(normalised) ||
    normalised.split('/').includes('..')
  ) {
    throw new NocturnalError('usage', `--file: "${file}" must be a path inside the repository, relative to its root`);
  }
  return normalised;
}
