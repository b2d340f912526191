// What a view shows for data fetched from the engine: still loading, an error the engine gave, or the
// data itself. Views render each case; nothing is shown that the engine did not say.
export type Loadable<T> = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; data: T };

export const loading = { status: 'loading' } as const;

export function ready<T>(data: T): Loadable<T> {
  return { status: 'ready', data };
}

export function loadError<T>(message: string): Loadable<T> {
  return { status: 'error', message };
}
