// Answers of the channels whose result is not a record of its own (see ../domain for the records).
import { z } from 'zod';
import { attemptSchema, sessionSchema } from '../domain/records';

export const approveAnswerSchema = z.object({ attempt: attemptSchema, note: z.string() });
export type ApproveAnswer = z.infer<typeof approveAnswerSchema>;

export const undoAnswerSchema = z.object({ attemptId: z.string(), note: z.string() });
export type UndoAnswer = z.infer<typeof undoAnswerSchema>;

/** `session:start` answers once the session has begun (it then runs on; progress comes as events). */
export const sessionStartAnswerSchema = z.object({ session: sessionSchema });
export type SessionStartAnswer = z.infer<typeof sessionStartAnswerSchema>;

/** `session:stop`: whether a running session was asked to stop after its current task. */
export const sessionStopAnswerSchema = z.object({ stopping: z.boolean(), sessionId: z.string().nullable() });
export type SessionStopAnswer = z.infer<typeof sessionStopAnswerSchema>;

export const modelCancelAnswerSchema = z.object({ cancelled: z.boolean() });
export const modelFreeAnswerSchema = z.object({ freed: z.boolean() });
