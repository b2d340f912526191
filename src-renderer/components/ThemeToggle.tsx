import { useEffect } from 'react';
import { useThemeStore } from '../stores/theme-store';
import type { ThemeChoice } from '../stores/theme-store';

const labels: Record<ThemeChoice, string> = { system: 'System', light: 'Light', dark: 'Dark' };

/** Light, dark or the system's choice; applied as `data-theme` on the root element. */
export function ThemeToggle() {
  const choice = useThemeStore((s) => s.choice);
  const choose = useThemeStore((s) => s.choose);
  useEffect(() => {
    if (choice === 'system') delete document.documentElement.dataset['theme'];
    else document.documentElement.dataset['theme'] = choice;
  }, [choice]);
  return (
    <label className="field inline theme-toggle">
      <span>Theme</span>
      <select value={choice} onChange={(event) => choose(event.target.value as ThemeChoice)}>
        {(Object.keys(labels) as ThemeChoice[]).map((value) => (
          <option key={value} value={value}>
            {labels[value]}
          </option>
        ))}
      </select>
    </label>
  );
}
