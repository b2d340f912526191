import type { ReactNode } from 'react';

/** What a section shows when it has nothing in it: what is missing, and how it gets filled. */
export function EmptyState({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="empty-state">
      <p className="empty-state-title">{title}</p>
      <p className="empty-state-hint">{children}</p>
    </div>
  );
}
