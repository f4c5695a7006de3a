import { describe, expect, it } from 'vitest';
import { auditFilterOf, NO_AUDIT_FILTER } from './audit-filter';

describe('auditFilterOf', () => {
  it('leaves out empty fields', () => {
    expect(auditFilterOf(NO_AUDIT_FILTER)).toEqual({});
    expect(auditFilterOf({ kind: '', runId: '   ', since: 'not a time' })).toEqual({});
  });

  it('gives a kind, a trimmed run id and the local time as an instant', () => {
    expect(auditFilterOf({ kind: 'file.write', runId: ' run_1 ', since: '2026-11-21T12:30' })).toEqual({
      kinds: ['file.write'],
      runId: 'run_1',
      since: new Date(2026, 10, 21, 12, 30).toISOString(),
    });
  });
});
