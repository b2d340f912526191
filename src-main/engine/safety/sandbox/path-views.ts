// How the sandbox shows each configured path: hidden, read-only, or writable (the worktree). Paths
// nest — the worktree lies inside the hidden engine home, a read path inside a hidden home, a masked
// .git/config inside a read-only repository — and the rule is simply that the most specific path
// wins. Applying the views from shortest path to longest gives exactly that, both for bubblewrap
// (a later mount covers an earlier one) and for Seatbelt (the last matching rule wins). On a tie the
// worktree wins over hiding, and hiding over reading.

export type PathView =
  | { path: string; view: 'hidden'; kind: 'dir' | 'file' }
  | { path: string; view: 'read-only' }
  | { path: string; view: 'writable' };

const TIE_RANK: Record<PathView['view'], number> = { 'read-only': 0, hidden: 1, writable: 2 };

export function orderViews(views: readonly PathView[]): PathView[] {
  // An ancestor's path is always shorter than its descendants'; unrelated paths may go in any order.
  return [...views].sort((a, b) => a.path.length - b.path.length || TIE_RANK[a.view] - TIE_RANK[b.view]);
}
