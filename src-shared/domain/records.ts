// The records the engine hands to every face (CLI --json, IPC, web transport). camelCase, JSON-safe.
import type { AttemptDecision, AttemptSpec, AttemptStatus, CheckOutcome, DiffStats, ScoreBreakdown } from './attempt';
import type { TaskExecutor, TaskPriority, TaskStatus } from './task';
import type { WorkspaceChecks } from './workspace';

export interface Workspace {
  id: string;
  name: string;
  path: string;
  baseBranch: string;
  targetBranch: string;
  checks: WorkspaceChecks;
  /** `workspace add --setup CMD`; null: the setup detected from the lock files (DESIGN §9b). */
  setupCommand: string | null;
  /** The last dependency setup's outcome, reported per workspace; null before the first. */
  setupStatus: WorkspaceSetupStatus | null;
  createdAt: string;
}

export interface WorkspaceSetupStatus {
  state: 'ready' | 'failed';
  /** npm, pip, custom…; the command that ran. */
  kind: string;
  command: string;
  /** Content hash of the lock files it installed from (the cache folder's name). */
  hash: string;
  durationMs: number;
  at: string;
  /** For a failure: what went wrong, with the tail of the setup's output. */
  message: string | null;
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
