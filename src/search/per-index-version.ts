/**
 * A value read once per index version (the meta table's version: an ingest may change it). A read that fails
 * is forgotten rather than kept, so one failed read (a publish racing it) does not fail every later request on
 * that version of a long-running server.
 */
export class PerIndexVersion<T> {
  private cached: { version: number; value: Promise<T> } | null = null;

  get(version: number, load: () => Promise<T>): Promise<T> {
    if (this.cached?.version === version) return this.cached.value;
    const entry = { version, value: load() };
    this.cached = entry;
    entry.value.catch(() => {
      if (this.cached === entry) this.cached = null;
    });
    return entry.value;
  }
}
