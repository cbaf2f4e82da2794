import type { KeyObject } from 'node:crypto';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ChangeFeed, Clock, ReloadSequencer } from '@s2s/core';
import { certificateDerBase64, certificatePublicJwk, certificatePublicKey } from '@s2s/crypto';
import { CertificateRepository, TokenIssuerAssignmentRepository } from './certificate.repository.js';
import { PrivateKeyVault } from './private-key.vault.js';
import { type StoredCertificate, x5tOf } from './stored-certificate.js';
import { automaticSwitchAt, EMPTY_ASSIGNMENT, publishedThumbprints, settleAssignment, type TokenIssuerAssignment } from './token-issuer-assignment.js';
import { TOKEN_ISSUER_ASSIGNMENT_TOPIC } from './token-issuer-assignment.service.js';

/** An assigned certificate, ready to publish and (for current and next) to sign with. */
export interface IssuerKey {
  thumbprint: string;
  thumbprintSha256: string;
  /** base64url SHA-1 of the DER (`x5t`, also used as `kid`, SPEC 4.1). */
  x5t: string;
  /** base64url SHA-256 of the DER (`x5t#S256`). */
  x5tS256: string;
  subject: string;
  dnsNames: string[];
  notBefore: Date;
  notAfter: Date;
  /** base64 DER of the certificate, then of its chain (`x5c`, `keyvalue.value`). */
  x5c: string[];
  /** The RSA public key as a JWK (`kty`, `n`, `e`). */
  publicJwk: { kty: string; n?: string; e?: string };
  /** The public key, for verifying tokens this service signed. */
  publicKey: KeyObject;
  /** Loaded for the current and next certificates only; null when it could not be opened. */
  privateKey: KeyObject | null;
}

/**
 * The identifier a token names one of our keys by: `kid` when it is a string, else `x5t` (we
 * publish `kid` = `x5t`, SPEC 4.2), else ''. Never either one: a `kid` that names no key is not
 * rescued by an `x5t` that does.
 */
export function issuerKeyIdOf(header: Readonly<Record<string, unknown>>): string {
  const { kid, x5t } = header;
  return typeof kid === 'string' ? kid : typeof x5t === 'string' ? x5t : '';
}

/** The slots at one instant. */
export interface IssuerKeySlots {
  current: IssuerKey | null;
  next: IssuerKey | null;
  nextEffectiveAt: Date | null;
  previous: IssuerKey | null;
}

interface Loaded {
  assignment: TokenIssuerAssignment;
  keys: Map<string, IssuerKey>;
  problems: string[];
  loadedAt: Date;
}

/**
 * The token-issuer keys in memory (SPEC 7: issuing and publishing never wait on the database).
 * Loaded at start and again whenever the slots change on any instance (change feed). The slots
 * are settled against the clock on every read, so a staged certificate signs and is published
 * first from its effective date on, on every instance, without a restart.
 */
@Injectable()
export class TokenIssuerKeyRing implements OnApplicationBootstrap {
  private readonly logger = new Logger('TokenIssuerKeyRing');
  private loaded: Loaded = { assignment: EMPTY_ASSIGNMENT, keys: new Map(), problems: ['the token-issuer keys have not been loaded yet'], loadedAt: new Date(0) };
  private readonly reloadListeners: (() => void)[] = [];
  private readonly reloads = new ReloadSequencer();

  constructor(
    private readonly assignments: TokenIssuerAssignmentRepository,
    private readonly certificates: CertificateRepository,
    private readonly vault: PrivateKeyVault,
    private readonly changeFeed: ChangeFeed,
    private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.changeFeed.subscribe(TOKEN_ISSUER_ASSIGNMENT_TOPIC, () => this.reload());
    await this.reload();
  }

  /** Reads the slots and their certificates, opens the current and next private keys. */
  async reload(): Promise<void> {
    await this.reloads.run(
      async () => {
        const assignment = await this.assignments.find();
        return { assignment, stored: await this.certificates.findMany(publishedThumbprints(assignment)) };
      },
      ({ assignment, stored }) => this.apply(assignment, stored),
    );
  }

  private apply(assignment: TokenIssuerAssignment, stored: StoredCertificate[]): void {
    const problems: string[] = [];
    const keys = new Map<string, IssuerKey>();
    for (const certificate of stored) {
      const signs = certificate.thumbprint === assignment.current || certificate.thumbprint === assignment.next;
      keys.set(certificate.thumbprint, this.toIssuerKey(certificate, signs, problems));
    }
    for (const thumbprint of publishedThumbprints(assignment)) {
      if (!keys.has(thumbprint)) problems.push(`assigned certificate ${thumbprint} is not in the store`);
    }
    this.loaded = { assignment, keys, problems, loadedAt: this.clock.now() };
    for (const problem of problems) this.logger.error({ problem }, 'token-issuer key problem');
    for (const listener of this.reloadListeners) listener();
  }

  /** Called after every reload (the roll scheduler re-arms its timer). */
  onReload(listener: () => void): void {
    this.reloadListeners.push(listener);
  }

  /** The slots as they stand at `now`. */
  slots(now: Date): IssuerKeySlots {
    const assignment = settleAssignment(this.loaded.assignment, now);
    const key = (thumbprint: string | null): IssuerKey | null => (thumbprint ? (this.loaded.keys.get(thumbprint) ?? null) : null);
    return { current: key(assignment.current), next: key(assignment.next), nextEffectiveAt: assignment.nextEffectiveAt, previous: key(assignment.previous) };
  }

  /** The key that signs at `now`, or null when none is assigned or its private key cannot be used. */
  signingKey(now: Date): IssuerKey | null {
    const current = this.slots(now).current;
    return current?.privateKey ? current : null;
  }

  /** Keys to publish at `now`: current first, then next, then previous (SPEC 5.3). */
  published(now: Date): IssuerKey[] {
    const { current, next, previous } = this.slots(now);
    return [current, next, previous].filter((key): key is IssuerKey => key !== null);
  }

  /**
   * The published key (current, next or previous at `now`) whose `x5t` is `keyId`, as named by
   * {@link issuerKeyIdOf}: the one rule by which the validator and the on-behalf-of grant find the
   * key of a token this service signed. Allocates nothing (it runs for every self token).
   */
  publishedKey(keyId: string, now: Date): IssuerKey | undefined {
    if (keyId === '') return undefined;
    const assignment = settleAssignment(this.loaded.assignment, now);
    return this.keyNamed(assignment.current, keyId) ?? this.keyNamed(assignment.next, keyId) ?? this.keyNamed(assignment.previous, keyId);
  }

  private keyNamed(thumbprint: string | null, keyId: string): IssuerKey | undefined {
    const key = thumbprint === null ? undefined : this.loaded.keys.get(thumbprint);
    return key !== undefined && key.x5t === keyId ? key : undefined;
  }

  /** When the stored slots change by themselves next (a staged roll; a gated one at its deadline), or null. */
  nextScheduledChange(): Date | null {
    return automaticSwitchAt(this.loaded.assignment);
  }

  /** When the keys were last loaded (the epoch before the first load). */
  loadedAt(): Date {
    return this.loaded.loadedAt;
  }

  /** What went wrong in the last load (undecryptable keys, missing certificates). */
  problems(): readonly string[] {
    return this.loaded.problems;
  }

  private toIssuerKey(certificate: StoredCertificate, signs: boolean, problems: string[]): IssuerKey {
    let privateKey: KeyObject | null = null;
    if (signs) {
      try {
        privateKey = this.vault.open(certificate.sealedPrivateKey, PrivateKeyVault.certificateContext(certificate.thumbprintSha256));
      } catch {
        problems.push(`the private key of certificate ${certificate.thumbprint} cannot be decrypted: is this the master key it was stored with?`);
      }
    }
    return {
      thumbprint: certificate.thumbprint,
      thumbprintSha256: certificate.thumbprintSha256,
      x5t: x5tOf(certificate.thumbprint),
      x5tS256: x5tOf(certificate.thumbprintSha256),
      subject: certificate.subject,
      dnsNames: certificate.dnsNames,
      notBefore: certificate.notBefore,
      notAfter: certificate.notAfter,
      x5c: [certificate.certificatePem, ...certificate.chainPems].map(certificateDerBase64),
      publicJwk: certificatePublicJwk(certificate.certificatePem),
      publicKey: certificatePublicKey(certificate.certificatePem),
      privateKey,
    };
  }
}
