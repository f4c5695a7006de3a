import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AUDIT_GENESIS_HASH } from '@shared/audit';
import { canonicalJson, hashAuditEntry, verifyAuditChain, type StoredAuditEntry } from './audit-chain';

/** A chain built the way the repository builds one: each entry linked to the hash of the one before. */
function chainOf(
  bodies: Array<Pick<StoredAuditEntry, 'kind' | 'runId' | 'nodeId' | 'actor'> & { details: Record<string, unknown> }>,
) {
  const entries: StoredAuditEntry[] = [];
  let prevHash = AUDIT_GENESIS_HASH;
  bodies.forEach((body, index) => {
    const entry = { ...body, seq: index + 1, at: new Date(Date.UTC(2026, 0, 1, 0, 0, index)).toISOString(), prevHash };
    const hash = hashAuditEntry(entry);
    entries.push({ ...entry, hash });
    prevHash = hash;
  });
  return entries;
}

const bodyArbitrary = fc.record({
  kind: fc.constantFrom('file.read', 'file.write', 'sandbox.exec', 'mcp.call'),
  runId: fc.option(fc.string({ minLength: 1, maxLength: 12 }), { nil: null }),
  nodeId: fc.option(fc.string({ minLength: 1, maxLength: 12 }), { nil: null }),
  actor: fc.constantFrom('agent', 'user', 'cli', 'mcp-client'),
  details: fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string(), fc.integer(), fc.boolean()), {
    maxKeys: 4,
  }),
});

const FIELDS = ['seq', 'at', 'kind', 'runId', 'nodeId', 'actor', 'details', 'prevHash', 'hash'] as const;

/** A value for the field that differs from the one it has. */
function tampered(entry: StoredAuditEntry, field: (typeof FIELDS)[number], salt: string): StoredAuditEntry {
  switch (field) {
    case 'seq':
      return { ...entry, seq: entry.seq + 1 + salt.length };
    case 'details':
      // Longer than any key the arbitrary makes, so it is always a new field.
      return { ...entry, details: { ...entry.details, __tampered__: salt } };
    case 'runId':
    case 'nodeId':
      return { ...entry, [field]: entry[field] === null ? `x${salt}` : null };
    default:
      return { ...entry, [field]: `${entry[field]}x${salt}` };
  }
}

describe('the audit hash chain', () => {
  it('serialises objects with their keys sorted at every level', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}',
    );
    expect(canonicalJson({ b: 1, a: 2 })).toBe(canonicalJson({ a: 2, b: 1 }));
  });

  it('finds an intact chain intact, with its count and last hash', () => {
    const entries = chainOf([
      { kind: 'file.read', runId: 'r1', nodeId: 'a', actor: 'agent', details: { path: 'x', bytes: 1 } },
      { kind: 'settings.changed', runId: null, nodeId: null, actor: 'user', details: { fields: ['llm.model'] } },
    ]);
    expect(verifyAuditChain(entries)).toEqual({ intact: true, count: 2, lastHash: entries[1]?.hash });
    expect(verifyAuditChain([])).toEqual({ intact: true, count: 0, lastHash: AUDIT_GENESIS_HASH });
  });

  it('names a removed entry as a seq gap at the entry after it', () => {
    const entries = chainOf(
      Array.from({ length: 4 }, (_, index) => ({
        kind: 'file.write',
        runId: 'r',
        nodeId: 'n',
        actor: 'agent',
        details: { index },
      })),
    );
    const result = verifyAuditChain(entries.filter((entry) => entry.seq !== 2));
    expect(result).toMatchObject({ intact: false, count: 1, brokenAt: { seq: 3, reason: 'seq-gap' } });
  });

  it('reports unreadable details as a hash mismatch', () => {
    const entry = chainOf([{ kind: 'file.read', runId: null, nodeId: null, actor: 'cli', details: { a: 1 } }])[0];
    if (!entry) throw new Error('no entry');
    expect(verifyAuditChain([{ ...entry, details: null }])).toMatchObject({
      intact: false,
      brokenAt: { seq: 1, reason: 'hash-mismatch' },
    });
  });

  it('detects any single-field tamper of any entry at that entry', () => {
    fc.assert(
      fc.property(
        fc.array(bodyArbitrary, { minLength: 1, maxLength: 8 }),
        fc.nat(),
        fc.constantFrom(...FIELDS),
        fc.string({ maxLength: 3 }),
        (bodies, pick, field, salt) => {
          const entries = chainOf(bodies);
          const index = pick % entries.length;
          const target = entries[index];
          if (!target) throw new Error('no entry to tamper with');
          const edited = tampered(target, field, salt);
          entries[index] = edited;
          const result = verifyAuditChain(entries);
          expect(result.intact).toBe(false);
          if (!result.intact) {
            expect(result.brokenAt.seq).toBe(edited.seq);
            expect(result.count).toBe(index);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
