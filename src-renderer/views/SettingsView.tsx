// Settings, drawn from the config schema: a control per `section.field`, saved on change through
// `config:set`. A refused value stays in its field with the engine's message naming the field.
import { useState } from 'react';
import { describeConfigForm } from '../../src-shared/config/fields';
import type { ConfigField } from '../../src-shared/config/fields';
import { LoadableView } from '../components/LoadableView';
import { useConfigStore } from '../stores/config-store';

const sections = describeConfigForm();
const titles: Record<string, string> = {
  llm: 'Model',
  scheduler: 'Night window',
  quality: 'Scoring and thresholds',
  parallel: 'Parallel attempts',
  safety: 'Safety and sandbox',
  cost: 'Cost and energy',
  knowledge: 'Knowledge vault',
  logging: 'Logs',
  notifications: 'Notifications',
};

export function SettingsView() {
  const config = useConfigStore((s) => s.config);
  return (
    <section className="view" aria-labelledby="settings-heading">
      <h2 id="settings-heading">Settings</h2>
      <LoadableView value={config} what="the settings">
        {(data) => (
          <div className="settings">
            {sections.map((section) => (
              <fieldset key={section.name} className="panel">
                <legend>{titles[section.name] ?? section.name}</legend>
                {section.description && <p className="muted small">{section.description}</p>}
                {section.fields.map((field) => (
                  <SettingField
                    key={field.path}
                    field={field}
                    value={(data[field.section] as Record<string, unknown>)[field.key]}
                  />
                ))}
              </fieldset>
            ))}
          </div>
        )}
      </LoadableView>
    </section>
  );
}

/** The text a field shows for a value. */
function toText(field: ConfigField, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (field.control.kind === 'list' && Array.isArray(value))
    return field.control.of === 'number' ? value.join(', ') : value.join('\n');
  if (field.control.kind === 'json') return JSON.stringify(value, null, 2);
  return String(value);
}

/** The value a field's text means; a text that cannot mean anything is sent as typed for the engine to refuse by name. */
function fromText(field: ConfigField, text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '' && field.nullable) return null;
  switch (field.control.kind) {
    case 'number':
      return trimmed === '' || Number.isNaN(Number(trimmed)) ? trimmed : Number(trimmed);
    case 'list':
      if (field.control.of === 'number')
        return trimmed === ''
          ? []
          : trimmed.split(',').map((part) => (Number.isNaN(Number(part.trim())) ? part.trim() : Number(part.trim())));
      return text
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean);
    case 'json':
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return text;
      }
    default:
      return text;
  }
}

function SettingField({ field, value }: { field: ConfigField; value: unknown }) {
  const error = useConfigStore((s) => s.fieldErrors[field.path]);
  const saved = useConfigStore((s) => s.saved === field.path);
  const save = useConfigStore((s) => s.set);
  const [draft, setDraft] = useState<string | null>(null);
  const id = `setting-${field.path.replace('.', '-')}`;
  const describedBy =
    [field.description ? `${id}-help` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const text = draft ?? toText(field, value);
  const commit = async () => {
    if (draft === null) return;
    if (await save(field.path, fromText(field, draft))) setDraft(null);
  };
  const common = { id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy } as const;

  let control;
  if (field.control.kind === 'boolean') {
    control = (
      <input
        type="checkbox"
        {...common}
        checked={value === true}
        onChange={(event) => void save(field.path, event.target.checked)}
      />
    );
  } else if (field.control.kind === 'choice') {
    control = (
      <select
        {...common}
        value={String(value)}
        onChange={(event) => void save(field.path, event.target.value === 'false' ? false : event.target.value)}
      >
        {field.control.options.map((option) => (
          <option key={String(option)} value={String(option)}>
            {String(option)}
          </option>
        ))}
      </select>
    );
  } else if (field.control.kind === 'json' || (field.control.kind === 'list' && field.control.of === 'string')) {
    control = (
      <textarea
        {...common}
        rows={3}
        value={text}
        onChange={(event) => setDraft(event.target.value)}
        onBlur={() => void commit()}
      />
    );
  } else {
    control = (
      <input
        {...common}
        type="text"
        inputMode={field.control.kind === 'number' ? 'decimal' : undefined}
        value={text}
        onChange={(event) => setDraft(event.target.value)}
        onBlur={() => void commit()}
        onKeyDown={(event) => {
          if (event.key === 'Enter') void commit();
        }}
      />
    );
  }

  return (
    <div className={`setting${field.control.kind === 'boolean' ? ' setting-inline' : ''}`}>
      <label htmlFor={id}>{field.key.replaceAll('_', ' ')}</label>
      {control}
      {field.description && (
        <span id={`${id}-help`} className="muted small">
          {field.description}
        </span>
      )}
      {error && (
        <span id={`${id}-error`} className="field-error" role="alert">
          {error}
        </span>
      )}
      {saved && !error && <span className="saved small">Saved</span>}
    </div>
  );
}
