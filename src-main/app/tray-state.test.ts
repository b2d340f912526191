import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { trayIconFile, trayStateOf, trayStates, trayTooltip } from './tray-state';
import type { TrayView } from './tray-state';

const view = (over: Partial<TrayView> & { enabled?: boolean } = {}): TrayView => ({
  nightMode: { enabled: over.enabled ?? false, window: { startTime: '22:00', endTime: '06:00', timezone: 'local' } },
  working: over.working ?? false,
  needsAttention: over.needsAttention ?? false,
});

describe('tray state', () => {
  it('ranks attention over working over armed over day', () => {
    expect(trayStateOf(view())).toBe('day');
    expect(trayStateOf(view({ enabled: true }))).toBe('armed');
    expect(trayStateOf(view({ enabled: true, working: true }))).toBe('working');
    expect(trayStateOf(view({ enabled: true, working: true, needsAttention: true }))).toBe('attention');
  });

  it('says what the state means, with the window', () => {
    expect(trayTooltip(view({ enabled: true }))).toBe('Nocturnal Agent — night mode armed: works 22:00–06:00');
    expect(trayTooltip(view())).toContain('night mode off');
  });

  it('has a committed 1x and 2x icon for every state', () => {
    const assets = path.resolve(import.meta.dirname, '../../assets');
    for (const state of trayStates) {
      const file = trayIconFile(state);
      expect(fs.existsSync(path.join(assets, file)), file).toBe(true);
      expect(fs.existsSync(path.join(assets, file.replace('.png', '@2x.png'))), file).toBe(true);
    }
  });
});
