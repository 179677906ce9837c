export interface GroupCommitOptions {
  /** Most items one write takes (a unit larger than this still goes whole, alone). */
  maxBatch: number;
  /** Writes in flight at once; units submitted meanwhile wait and go together in the next one. */
  maxConcurrentBatches: number;
}

export interface GroupCommit<Item, Result> {
  /** Writes the unit's items together (never split across writes) and answers their results, in order. */
  submit(unit: Item[]): Promise<Result[]>;
}

/**
 * Group commit: units submitted while earlier writes run are written together by the next call of `write` (one
 * statement: one transaction, one commit, one round trip), and each caller is answered once its own unit is written.
 * Nothing waits for a timer: a lone unit goes at once. When a grouped write fails, each of its units is written on its
 * own, so one bad unit fails only its own caller.
 */
export function createGroupCommit<Item, Result>(write: (items: Item[]) => Promise<Result[]>, options: GroupCommitOptions): GroupCommit<Item, Result> {
  interface Pending {
    unit: Item[];
    resolve(results: Result[]): void;
    reject(error: unknown): void;
  }
  const waiting: Pending[] = [];
  let running = 0;

  function takeBatch(): Pending[] {
    const batch = [waiting.shift()!];
    let items = batch[0]!.unit.length;
    while (waiting.length > 0 && items + waiting[0]!.unit.length <= options.maxBatch) {
      items += waiting[0]!.unit.length;
      batch.push(waiting.shift()!);
    }
    return batch;
  }

  async function writeBatch(batch: Pending[]): Promise<void> {
    try {
      const results = await write(batch.flatMap((pending) => pending.unit));
      let offset = 0;
      for (const pending of batch) {
        pending.resolve(results.slice(offset, offset + pending.unit.length));
        offset += pending.unit.length;
      }
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
      await Promise.all(batch.map((pending) => write(pending.unit).then(pending.resolve, pending.reject)));
    }
  }

  function pump(): void {
    while (running < options.maxConcurrentBatches && waiting.length > 0) {
      const batch = takeBatch();
      running++;
      void writeBatch(batch).finally(() => {
        running--;
        pump();
      });
    }
  }

  return {
    submit(unit) {
      if (unit.length === 0) return Promise.resolve([]);
      return new Promise((resolve, reject) => {
        waiting.push({ unit, resolve, reject });
        pump();
      });
    },
  };
}
