// Resolves on the event loop's next turn (after pending I/O callbacks), not in the current one. Two
// child processes started in one turn block the loop for both forks back to back (Node's spawn forks
// and waits for the exec on the calling thread); yielding between them keeps each stall to one fork,
// and lets an exit or a UI message that arrived meanwhile be handled in between (bench/event-loop.ts).
export function nextTurn(): Promise<void> {
  return new Promise((resume) => setImmediate(resume));
}
