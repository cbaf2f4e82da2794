/**
 * The source of "now" for all domain code. Injected so that tests can freeze time at a named
 * instant (STYLE habit 8); production uses {@link SystemClock}.
 */
export abstract class Clock {
  abstract now(): Date;
}

/** Wall-clock time of this machine. */
export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock that only moves when told to; for tests. */
export class FrozenClock extends Clock {
  constructor(private current: Date) {
    super();
  }
  now(): Date {
    return new Date(this.current.getTime());
  }
  set(instant: Date): void {
    this.current = new Date(instant.getTime());
  }
  advance(milliseconds: number): void {
    this.current = new Date(this.current.getTime() + milliseconds);
  }
}
