import type { ReactNode } from 'react';
import type { Loadable } from '../stores/loadable';

/** Renders loading and error states the same way everywhere; the data case is the caller's. */
export function LoadableView<T>({
  value,
  what,
  children,
}: {
  value: Loadable<T>;
  what: string;
  children: (data: T) => ReactNode;
}) {
  if (value.status === 'loading') {
    return (
      <p className="muted" role="status">
        Loading {what}…
      </p>
    );
  }
  if (value.status === 'error') {
    return (
      <div className="notice notice-error" role="alert">
        <p className="notice-title">Could not load {what}</p>
        <p>{value.message}</p>
      </div>
    );
  }
  return <>{children(value.data)}</>;
}
