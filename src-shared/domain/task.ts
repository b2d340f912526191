// Tasks and their life cycle (DESIGN §4). The transition table is the single authority: the store and
// the API refuse any move it does not list, so a task can never be, say, merged twice.
import { z } from 'zod';

export const taskPriorities = ['low', 'medium', 'high', 'critical'] as const;
export const taskPrioritySchema = z.enum(taskPriorities);
export type TaskPriority = z.infer<typeof taskPrioritySchema>;

export const taskStatuses = ['queued', 'running', 'review', 'merged', 'rejected', 'failed', 'cancelled'] as const;
export const taskStatusSchema = z.enum(taskStatuses);
export type TaskStatus = z.infer<typeof taskStatusSchema>;

export const taskExecutors = ['direct', 'spec'] as const;
export const taskExecutorSchema = z.enum(taskExecutors);
export type TaskExecutor = z.infer<typeof taskExecutorSchema>;

const taskTransitions: Record<TaskStatus, readonly TaskStatus[]> = {
  queued: ['running', 'cancelled'],
  // running → queued: a session interrupted mid-task puts it back rather than losing it.
  running: ['review', 'merged', 'rejected', 'failed', 'queued'],
  review: ['merged', 'rejected', 'cancelled'],
  // merged → rejected: undone by the user (reason "undone"), so the task can be retried.
  merged: ['rejected'],
  rejected: ['queued'],
  failed: ['queued'],
  cancelled: [],
};

export function canTransitionTask(from: TaskStatus, to: TaskStatus): boolean {
  return taskTransitions[from].includes(to);
}

export const finalTaskStatuses: readonly TaskStatus[] = ['merged', 'rejected', 'failed', 'cancelled'];

/** Higher runs first. */
export const priorityRank: Record<TaskPriority, number> = { low: 0, medium: 1, high: 2, critical: 3 };
