// The hub's audit log as the rest of the hub sees it: append-only; the log chains each entry to the one
// before it (hub/audit), so an entry removed or changed afterwards shows.

export interface AuditEntryInput {
  /** Who: an account name, `room:<id>`, `token:<name>`, or 'anonymous'. */
  actor: string;
  /** What, dotted: 'signin', 'hearing.create', 'book.read', 'archive.download', 'enroll', 'revoke', 'refused'… */
  action: string;
  /** On what: a hearing id, a room id, a file. */
  target?: string;
  outcome: 'ok' | 'refused';
  /** Why it was refused, or anything worth keeping. */
  reason?: string;
  ip?: string;
}

export interface AuditLog {
  append(entry: AuditEntryInput): Promise<void>;
}
