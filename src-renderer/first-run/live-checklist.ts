// The checklist as the engine says it now: status:changed keeps the status store live (a download
// that lands, a repository added elsewhere), so the steps read it there once it is loaded and fall
// back to what setup:get answered.
import type { SetupChecklist, SetupInfo } from '../../src-shared/domain/setup';
import { useStatusStore } from '../stores/status-store';

export function useLiveChecklist(info: SetupInfo): SetupChecklist {
  const status = useStatusStore((s) => s.status);
  return status.status === 'ready' ? status.data.setup : info.checklist;
}
