import { Injectable } from '@nestjs/common';
import { AppConfig } from '@s2s/config';
import { ChangeFeed } from '@s2s/core';
import { sha256Base64Url } from '@s2s/crypto';
import type { ValidationOutcome } from './token-validation.js';

/** A verdict that a token is valid (refusals are never cached). */
export type ValidOutcome = Extract<ValidationOutcome, { valid: true }>;

/** The defaults of `TOKEN_CACHE_MAX_ENTRIES` / `TOKEN_CACHE_MAX_BYTES`. */
export const TOKEN_CACHE_DEFAULTS = Object.freeze({ maxEntries: 10_000, maxBytes: 16 * 1024 * 1024 });

/**
 * What one entry is reckoned to hold besides the token: the map slot, the 43-character key, the
 * entry and outcome objects. The claims the verdict keeps are reckoned at twice the token's length
 * (a parsed JSON object takes about that per byte of base64url it was decoded from).
 */
const ENTRY_OVERHEAD_BYTES = 320;

interface Entry {
  readonly outcome: ValidOutcome;
  /** The verdict holds from the instant it was reached (a clock set back misses)… */
  readonly fromMs: number;
  /** …until the token's `exp` or the earlier end of what it was judged against (a key's validity, a scheduled key switch). */
  readonly untilMs: number;
  readonly bytes: number;
}

/** Counts since start, read by the metrics (`s2s_token_cache_*`). */
export interface VerifiedTokenCacheStats {
  hits: number;
  misses: number;
  /** Entries dropped to stay within the bounds. */
  evictions: number;
  /** Whole-cache drops after a change of the trust configuration (any change-feed topic). */
  invalidations: number;
  /** Valid verdicts not held because their token had not been validated before (admission). */
  firstSightings: number;
}

/**
 * The verified-token cache of validation and introspection: verdicts of VALID tokens, keyed by the
 * SHA-256 of the exact token string, bounded by count and by reckoned memory (least recently used
 * first out). A verdict is held until the earlier of the token's `exp` and the end of the time it
 * was judged for ({@link Attempt.holdUntilMs}), and the whole cache is dropped after every committed
 * change of any change-feed topic, here or on another instance, once the in-memory state that topic
 * feeds has been reloaded: partners, OAuth servers, our keys, clients and resources, the OAuth
 * configuration, and whatever topic is added later. So no verdict is served that is older than the
 * last change it could depend on (the directories the validator reads are themselves only as fresh
 * as the change feed). Refusals are not cached: an attacker cannot fill it with junk, and a token
 * can only enter it by being valid. Explain mode never reads it.
 *
 * Admission: a verdict is held from the token's second valid validation on (TinyLFU's
 * "doorkeeper"). A token validated once and never again, the common case for a load of distinct
 * tokens, neither displaces the tokens in use nor churns the heap: each held verdict keeps its
 * parsed claims for as long as it is held, which moves it into V8's old generation, and thousands a
 * second of such verdicts evicted again were what held 110–230 MB of old space (RSS 275–387 MiB
 * against 229–231 MiB with the cache off) under a load of fresh tokens. The first sighting is only
 * a 32-bit fingerprint in a fixed table (no allocation); a collision can at worst admit a token one
 * validation early, never serve a wrong verdict (entries are keyed by the whole hash).
 */
@Injectable()
export class VerifiedTokenCache {
  readonly stats: VerifiedTokenCacheStats = { hits: 0, misses: 0, evictions: 0, invalidations: 0, firstSightings: 0 };
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  /** Fingerprints of tokens validated once, direct-mapped (a power of two ≥ twice the entries). */
  private readonly sightings: Uint32Array;

  constructor(config: AppConfig, changeFeed: ChangeFeed) {
    const limits = config.tokenCache ?? TOKEN_CACHE_DEFAULTS;
    this.maxEntries = limits.maxEntries;
    this.maxBytes = limits.maxBytes;
    this.sightings = new Uint32Array(this.enabled ? 2 ** Math.ceil(Math.log2(Math.max(1024, 2 * this.maxEntries))) : 0);
    changeFeed.afterAnyChange(() => this.invalidate());
  }

  /** Off with `TOKEN_CACHE_MAX_ENTRIES=0` or `TOKEN_CACHE_MAX_BYTES=0`. */
  get enabled(): boolean {
    return this.maxEntries > 0 && this.maxBytes > 0;
  }

  get size(): number {
    return this.entries.size;
  }

  get reckonedBytes(): number {
    return this.bytes;
  }

  /** The cache key of a token: its SHA-256 (the token itself is not kept). */
  keyOf(token: string): string {
    return sha256Base64Url(token);
  }

  /** The held verdict of the token with this key at `nowMs`, or undefined (counted as a miss). */
  get(key: string, nowMs: number): ValidOutcome | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) {
      this.stats.misses++;
      return undefined;
    }
    this.entries.delete(key);
    if (nowMs < entry.fromMs || nowMs >= entry.untilMs) {
      this.bytes -= entry.bytes;
      this.stats.misses++;
      return undefined;
    }
    // Most recently used last: eviction takes from the front.
    this.entries.set(key, entry);
    this.stats.hits++;
    return entry.outcome;
  }

  /** Holds a valid verdict reached at `fromMs` until `untilMs`; `tokenLength` sizes it. */
  set(key: string, outcome: ValidOutcome, fromMs: number, untilMs: number, tokenLength: number): void {
    if (!this.enabled || untilMs <= fromMs) return;
    const previous = this.entries.get(key);
    if (previous !== undefined) {
      this.entries.delete(key);
      this.bytes -= previous.bytes;
    } else if (!this.seenBefore(key)) {
      this.stats.firstSightings++;
      return;
    }
    const bytes = ENTRY_OVERHEAD_BYTES + 2 * tokenLength;
    if (bytes > this.maxBytes) return;
    this.entries.set(key, { outcome, fromMs, untilMs, bytes });
    this.bytes += bytes;
    while (this.entries.size > this.maxEntries || this.bytes > this.maxBytes) {
      const [oldest, entry] = this.entries.entries().next().value as [string, Entry];
      this.entries.delete(oldest);
      this.bytes -= entry.bytes;
      this.stats.evictions++;
    }
  }

  /** Drops every held verdict and sighting (after a change of the trust configuration). */
  invalidate(): void {
    this.stats.invalidations++;
    this.entries.clear();
    this.bytes = 0;
    this.sightings.fill(0);
  }

  /**
   * Whether the token with this key was validated before (its sighting is then used up); records
   * this sighting otherwise. Slot and fingerprint come from the key's characters (a SHA-256 in
   * base64url: 6 random bits each).
   */
  private seenBefore(key: string): boolean {
    let slot = 0;
    let fingerprint = 1;
    for (let i = 0; i < 5; i++) {
      slot = (slot << 6) ^ key.charCodeAt(i);
      fingerprint = (fingerprint << 6) ^ key.charCodeAt(i + 5);
    }
    slot &= this.sightings.length - 1;
    fingerprint = (fingerprint | 1) >>> 0;
    if (this.sightings[slot] === fingerprint) {
      this.sightings[slot] = 0;
      return true;
    }
    this.sightings[slot] = fingerprint;
    return false;
  }
}
