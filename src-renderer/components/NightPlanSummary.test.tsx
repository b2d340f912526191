import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { NightPlan } from '../../src-shared/domain/app-state';
import { nightPlanSchema } from '../../src-shared/domain/app-state';
import { NightPlanSummary } from './NightPlanSummary';

const plan: NightPlan = nightPlanSchema.parse({
  windowStart: '2026-11-30T22:00:00.000Z',
  windowEnd: '2026-12-01T06:00:00.000Z',
  tokensPerSecond: 12.34,
  contextSize: 8192,
  speedBasis: 'measured over the last 40 call(s) of m.gguf',
  tasks: [
    {
      taskId: 't1',
      title: 'fix the parser',
      priority: 'high',
      tokens: 3000,
      minutes: 5.5,
      basis: 'history',
      samples: 3,
      fits: true,
      startsAt: '2026-11-30T22:00:00.000Z',
    },
    {
      taskId: 't2',
      title: 'rewrite the engine',
      priority: 'low',
      tokens: 2250,
      minutes: 600,
      basis: 'prior',
      samples: 0,
      fits: false,
      startsAt: null,
    },
  ],
  fitting: 1,
  summary: '1 of 2 tasks fit tonight; 1 waits for tomorrow',
});

describe('NightPlanSummary', () => {
  it('shows only the summary in the tray', () => {
    expect(renderToStaticMarkup(<NightPlanSummary plan={plan} compact />)).toBe(
      '<span class="night-plan-summary">1 of 2 tasks fit tonight; 1 waits for tomorrow</span>',
    );
  });

  it('lists each task with whether it fits, its estimate and where the estimate came from', () => {
    const html = renderToStaticMarkup(<NightPlanSummary plan={plan} />);
    expect(html).toContain('<p class="night-plan-summary">1 of 2 tasks fit tonight; 1 waits for tomorrow</p>');
    expect(html).toContain('Model 12.3 tok/s (measured over the last 40 call(s) of m.gguf); context 8192 tokens');
    expect(html).toContain(
      '<li data-fits="yes"><strong>Fits</strong> fix the parser (high) — ~3000 tokens, ~5.5 min, from 3 past attempts</li>',
    );
    expect(html).toContain(
      '<li data-fits="no"><strong>Waits</strong> rewrite the engine (low) — ~2250 tokens, ~600 min, estimated without history</li>',
    );
  });
});
