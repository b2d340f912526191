import { describe, expect, it } from 'vitest';
import { hasRoute, reportSessionFromHash, routeFromHash } from './routes';

describe('hash routes', () => {
  it('reads the view, defaulting to the report, and never takes serve’s token for a route', () => {
    expect(routeFromHash('')).toBe('report');
    expect(routeFromHash('#token=abc')).toBe('report');
    expect(routeFromHash('#/queue')).toBe('queue');
    expect(routeFromHash('#/tray')).toBe('tray');
    expect(routeFromHash('#/nowhere')).toBe('report');
  });

  it('has a setup route, and tells an address that names a view from one that does not (the first run opens only then)', () => {
    expect(routeFromHash('#/setup')).toBe('setup');
    expect(hasRoute('#/setup')).toBe(true);
    expect(hasRoute('#/report/s_1')).toBe(true);
    expect(hasRoute('#/tray')).toBe(true);
    expect(hasRoute('')).toBe(false);
    expect(hasRoute('#token=abc')).toBe(false);
    expect(hasRoute('#/nowhere')).toBe(false);
  });

  it('reads the session a notification links to', () => {
    expect(reportSessionFromHash('#/report/s_1a2b')).toBe('s_1a2b');
    expect(reportSessionFromHash('#/report')).toBeNull();
    expect(reportSessionFromHash('#/queue/s_1a2b')).toBeNull();
  });
});
