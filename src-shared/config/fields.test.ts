import { describe, expect, it } from 'vitest';
import { describeConfigForm } from './fields';
import { configSchema } from './schema';

describe('describeConfigForm', () => {
  const sections = describeConfigForm();
  const field = (path: string) => sections.flatMap((s) => s.fields).find((f) => f.path === path);

  it('has every section and every field of the schema', () => {
    expect(sections.map((s) => s.name)).toEqual(Object.keys(configSchema.shape));
    expect(sections.find((s) => s.name === 'scheduler')?.fields.map((f) => f.key)).toEqual([
      'start_time',
      'end_time',
      'timezone',
      'night_mode',
      'max_changes_per_night',
      'max_task_minutes',
      'check_interval_s',
    ]);
  });

  it('picks the control each field needs, with its help text', () => {
    expect(field('scheduler.night_mode')).toMatchObject({
      control: { kind: 'boolean' },
      description: 'armed: sessions start by themselves inside the window',
    });
    expect(field('quality.auto_approve_threshold')?.control).toEqual({
      kind: 'number',
      integer: false,
      min: 0,
      max: 1,
    });
    expect(field('safety.sandbox')?.control).toEqual({ kind: 'choice', options: ['auto', 'required', 'off'] });
    expect(field('llm.gpu')?.control).toEqual({ kind: 'choice', options: ['auto', 'cuda', 'vulkan', 'metal', false] });
    expect(field('llm.model_path')).toMatchObject({ nullable: true, control: { kind: 'string' } });
    expect(field('cost.alert_thresholds')?.control).toEqual({ kind: 'list', of: 'number' });
    expect(field('safety.protected_paths')?.control).toEqual({ kind: 'list', of: 'string' });
    expect(field('quality.weights')?.control).toEqual({ kind: 'json' });
    expect(field('cost.prices')?.control).toEqual({ kind: 'json' });
  });
});
