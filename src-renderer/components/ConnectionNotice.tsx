import { useAppStore } from '../app-store';

/** Says, in words, whether this window can reach the engine; silent once it can. */
export function ConnectionNotice() {
  const connection = useAppStore((s) => s.connection);
  const actionError = useAppStore((s) => s.actionError);

  return (
    <>
      {connection.status === 'connecting' && (
        <p className="notice" role="status">
          Connecting to the engine…
        </p>
      )}
      {connection.status === 'not_connected' && (
        <div className="notice notice-offline" role="status">
          <p className="notice-title">Not connected</p>
          <p>{connection.message}</p>
        </div>
      )}
      {connection.status === 'failed' && (
        <div className="notice notice-error" role="alert">
          <p className="notice-title">The engine could not be reached</p>
          <p>{connection.message}</p>
        </div>
      )}
      {actionError && (
        <p className="notice notice-error" role="alert">
          {actionError}
        </p>
      )}
    </>
  );
}
