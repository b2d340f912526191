// Resolves after a whole turn of the event loop: the timers and the pending I/O callbacks (a UI
// message, a process's exit) run before it does. Two child processes started back to back block the
// loop for both forks (Node's spawn forks and waits for the exec on the calling thread); yielding a
// turn between them keeps each stall to one fork (bench/event-loop.ts). One setImmediate is not a
// turn when it is queued from an I/O callback: it runs in the same iteration's check phase, before
// the loop polls again; the second one runs only after the next iteration's timers and poll.
export function nextTurn(): Promise<void> {
  return new Promise((resume) => setImmediate(() => setImmediate(resume)));
}
