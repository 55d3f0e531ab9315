/**
 * The simulator's access log with in-flight requests: every ARM request is journalled when routed,
 * and gets its status when answered. Read over the admin API (GET /_sim/requests?after=<seq>), so a
 * test in another process can tell what was in flight when it killed a client. Bounded (oldest drop).
 */
export interface JournalEntry {
  readonly seq: number;
  readonly method: string;
  readonly path: string;
  readonly operation?: string;
  /** Wall-clock ms when the request was routed. */
  readonly receivedAt: number;
  /** Set when the simulator answers (even to a client that went away); absent while in flight. */
  status?: number;
  answeredAt?: number;
}

export class RequestJournal {
  private readonly entries: JournalEntry[] = [];
  private seq = 0;

  constructor(private readonly capacity = 200_000) {}

  open(method: string, path: string, operation: string | undefined): JournalEntry {
    const entry: JournalEntry = {
      seq: ++this.seq,
      method,
      path,
      ...(operation === undefined ? {} : { operation }),
      receivedAt: Date.now(),
    };
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
    return entry;
  }

  close(entry: JournalEntry, status: number): void {
    entry.status = status;
    entry.answeredAt = Date.now();
  }

  after(seq: number): JournalEntry[] {
    return this.entries.filter((e) => e.seq > seq);
  }
}
