// A fixed pool of context sequences, so that parallel attempts share one loaded model: each call
// borrows a sequence and gives it back. A sequence remembers which conversation last used it, and a
// later turn of that conversation gets the same sequence back when it is free, so node-llama-cpp can
// reuse the shared prompt prefix already in its KV cache. Waiters are served first come, first served.
import { abortedError } from './retry';

interface Slot<S> {
  sequence: S;
  busy: boolean;
  conversationId: string | undefined;
  lastUsed: number;
}

interface Waiter<S> {
  conversationId: string | undefined;
  resolve: (slot: Slot<S>) => void;
}

export interface SequenceLease<S> {
  readonly sequence: S;
  /** Gives the sequence back; calling it twice is harmless. */
  release(): void;
}

export class SequencePool<S> {
  private readonly slots: Slot<S>[];
  private readonly waiters: Waiter<S>[] = [];
  private clock = 0;

  constructor(sequences: readonly S[]) {
    if (sequences.length === 0) throw new Error('a sequence pool needs at least one sequence');
    this.slots = sequences.map((sequence) => ({ sequence, busy: false, conversationId: undefined, lastUsed: 0 }));
  }

  get size(): number {
    return this.slots.length;
  }

  get available(): number {
    return this.slots.filter((s) => !s.busy).length;
  }

  acquire(conversationId?: string, signal?: AbortSignal): Promise<SequenceLease<S>> {
    if (signal?.aborted === true) return Promise.reject(abortedError(signal));
    const free = this.pick(conversationId);
    if (free !== undefined) return Promise.resolve(this.lease(free, conversationId));
    return new Promise((resolve, reject) => {
      const waiter: Waiter<S> = {
        conversationId,
        resolve: (slot) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(this.lease(slot, conversationId));
        },
      };
      const onAbort = (): void => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(abortedError(signal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  // Prefer the conversation's own sequence; otherwise the one idle longest, whose cache is least
  // likely to be wanted again.
  private pick(conversationId: string | undefined): Slot<S> | undefined {
    const free = this.slots.filter((s) => !s.busy);
    if (conversationId !== undefined) {
      const own = free.find((s) => s.conversationId === conversationId);
      if (own !== undefined) return own;
    }
    return free.sort((a, b) => a.lastUsed - b.lastUsed)[0];
  }

  private lease(slot: Slot<S>, conversationId: string | undefined): SequenceLease<S> {
    slot.busy = true;
    slot.conversationId = conversationId;
    slot.lastUsed = ++this.clock;
    let released = false;
    return {
      sequence: slot.sequence,
      release: () => {
        if (released) return;
        released = true;
        slot.busy = false;
        slot.lastUsed = ++this.clock;
        const next = this.waiters.shift();
        if (next !== undefined) next.resolve(slot);
      },
    };
  }
}
