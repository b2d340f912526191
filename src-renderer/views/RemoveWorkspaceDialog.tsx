// Removing a workspace deletes more than its row: its tasks and attempts, the attempt branches (each
// backed up first) and the engine's worktrees of the repository. The button asks first and says so;
// the user's own checkout and branches are never touched, and the dialog says that too.
import { Dialog } from '../components/Dialog';

export function RemoveWorkspaceDialog({
  name,
  onConfirm,
  onCancel,
}: {
  name: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <Dialog title={`Remove ${name}?`} onClose={onCancel}>
      <p>This deletes, for this workspace:</p>
      <ul>
        <li>its tasks and their attempts, including changes waiting for review;</li>
        <li>the attempt branches (each kept as a backup ref until backups expire);</li>
        <li>the engine&apos;s worktrees of the repository.</li>
      </ul>
      <p className="muted">Your checkout, its branches and the target branch are left as they are.</p>
      <div className="form-actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="danger" onClick={onConfirm}>
          Remove workspace
        </button>
      </div>
    </Dialog>
  );
}
