/**
 * The 32-byte key that encrypts private keys at rest (AES-256-GCM), loaded once at start from
 * MASTER_KEY / MASTER_KEY_FILE by {@link loadMasterKey} and injected where keys are sealed or
 * opened. Never logged, never serialised.
 */
export class MasterKey {
  constructor(readonly key: Buffer) {
    if (key.length !== 32) throw new RangeError(`the master key must be 32 bytes; got ${key.length}`);
  }

  /** Keeps the key out of accidental `JSON.stringify` / log serialisation. */
  toJSON(): string {
    return '[master key]';
  }
}
