import { createHash } from 'node:crypto';
import { AUDIT_GENESIS_HASH, type AuditBreakReason, type AuditEntry, type AuditVerification } from '@shared/audit';

/** The fields an entry's hash covers: all of them but the hash itself. */
export type AuditEntryBody = Omit<AuditEntry, 'hash'>;

/**
 * One serialisation of an entry for hashing: JSON with object keys sorted at every level, so the hash
 * does not depend on the order a writer happened to build the details in.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, field]) => field !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, field]) => `${JSON.stringify(key)}:${canonicalJson(field)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function hashAuditEntry(body: AuditEntryBody): string {
  const { seq, at, kind, runId, nodeId, actor, details, prevHash } = body;
  return sha256Hex(canonicalJson({ seq, at, kind, runId, nodeId, actor, details, prevHash }));
}

/** An entry as read back from storage: details may fail to parse when someone edited the row. */
export type StoredAuditEntry = Omit<AuditEntry, 'details'> & { details: AuditEntry['details'] | null };

/**
 * Folds over the entries in seq order and stops at the first that does not fit: a seq that is not the
 * next one (an entry removed or renumbered), a prevHash that is not the previous entry's hash (an entry
 * removed, or the link edited), or a hash that its own fields do not produce (any field edited).
 */
export function verifyAuditChain(entries: Iterable<StoredAuditEntry>): AuditVerification {
  let expectedSeq = 1;
  let previousHash = AUDIT_GENESIS_HASH;
  let count = 0;
  for (const entry of entries) {
    const broken = (reason: AuditBreakReason, message: string): AuditVerification => ({
      intact: false,
      count,
      brokenAt: { seq: entry.seq, reason, message: `entry ${entry.seq}: ${message}` },
    });
    if (entry.seq !== expectedSeq) {
      return broken('seq-gap', `expected seq ${expectedSeq}, found ${entry.seq} (an entry is missing or renumbered)`);
    }
    if (entry.prevHash !== previousHash) {
      return broken('prev-hash-mismatch', 'its prevHash is not the hash of the entry before it');
    }
    if (entry.details === null) return broken('hash-mismatch', 'its details are not the JSON object that was written');
    if (hashAuditEntry({ ...entry, details: entry.details }) !== entry.hash) {
      return broken('hash-mismatch', 'its fields do not hash to its stored hash (the entry was edited)');
    }
    previousHash = entry.hash;
    expectedSeq++;
    count++;
  }
  return { intact: true, count, lastHash: previousHash };
}
