/**
 * Keeps an in-memory cache from going back in time: of several reloads running at once, only a
 * result newer than the one applied is applied. A reload that started earlier (and read older
 * data) but finished later is discarded, so a quick change followed by another cannot leave the
 * older state in place.
 */
export class ReloadSequencer {
  private started = 0;
  private applied = 0;

  async run<T>(load: () => Promise<T>, apply: (value: T) => void): Promise<void> {
    const ticket = ++this.started;
    const value = await load();
    if (ticket <= this.applied) return;
    this.applied = ticket;
    apply(value);
  }
}
