// Light or dark: follows the system (prefers-color-scheme) until the user picks one; the pick is kept
// in localStorage so it survives a reload.
import { create } from 'zustand';

export type ThemeChoice = 'system' | 'light' | 'dark';
const storageKey = 'nocturnal.theme';

export interface ThemeState {
  choice: ThemeChoice;
  choose(choice: ThemeChoice): void;
}

function stored(): ThemeChoice {
  try {
    const value = globalThis.localStorage?.getItem(storageKey);
    return value === 'light' || value === 'dark' ? value : 'system';
  } catch {
    return 'system';
  }
}

export const useThemeStore = create<ThemeState>()((set) => ({
  choice: stored(),
  choose(choice) {
    try {
      if (choice === 'system') globalThis.localStorage?.removeItem(storageKey);
      else globalThis.localStorage?.setItem(storageKey, choice);
    } catch {
      // Storage refused (private mode): the choice still holds for this window.
    }
    set({ choice });
  },
}));
