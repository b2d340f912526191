// The records the engine hands to every face (CLI --json, IPC, web transport). camelCase, JSON-safe.
import type { AttemptDecision, AttemptSpec, AttemptStatus, CheckOutcome, DiffStats, ScoreBreakdown } from './attempt';
import type { TaskExecutor, TaskPriority, TaskStatus } from './task';
import type { WorkspaceChecks, WorkspaceStartFrom } from './workspace';

export interface Workspace {
  id: string;
  name: string;
  path: string;
  baseBranch: string;
  targetBranch: string;
  checks: WorkspaceChecks;
  /** `target`: attempts start from the target branch when it contains the base; `base`: always from the base. */
  startFrom: WorkspaceStartFrom;
  createdAt: string;
}

export interface Attempt {
  id: string;
  taskId: string;
  sessionId: string | null;
  number: number;
  status: AttemptStatus;
  branch: string;
  worktreePath: string | null;
  baseCommit: string | null;
  headCommit: string | null;
  targetBranch: string;
  score: number | null;
  scoreBreakdown: ScoreBreakdown | null;
  decision: AttemptDecision | null;
  reasons: string[];
  checksBefore: CheckOutcome[] | null;
  checksAfter: CheckOutcome[] | null;
  diff: DiffStats | null;
  cycles: number;
  mergedCommit: string | null;
  backupRef: string | null;
  reviewNote: string | null;
  spec: AttemptSpec | null;
  startedAt: string;
  endedAt: string | null;
}

export interface Task {
  id: string;
  workspace: string;
  workspaceId: string;
  title: string;
  description: string;
  criteria: string[];
  priority: TaskPriority;
  executor: TaskExecutor;
  files: string[];
  status: TaskStatus;
  statusReason: string | null;
  retryNote: string | null;
  createdAt: string;
  updatedAt: string;
  attempts: Attempt[];
}

export interface SessionStats {
  tasksDone: number;
  merged: number;
  review: number;
  rejected: number;
  failed: number;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  costUsd: number;
  energyWh: number;
  /** Why the session paused new work, if it did (resource limits, battery). */
  pauses: string[];
  peakCpuPercent: number | null;
  peakMemoryPercent: number | null;
}

export type SessionStatus = 'running' | 'completed' | 'stopped' | 'failed';

export interface Session {
  id: string;
  startedAt: string;
  endedAt: string | null;
  status: SessionStatus;
  trigger: string;
  stats: SessionStats;
  endReason: string | null;
}

export function emptySessionStats(): SessionStats {
  return {
    tasksDone: 0,
    merged: 0,
    review: 0,
    rejected: 0,
    failed: 0,
    promptTokens: 0,
    completionTokens: 0,
    cachedTokens: 0,
    costUsd: 0,
    energyWh: 0,
    pauses: [],
    peakCpuPercent: null,
    peakMemoryPercent: null,
  };
}
