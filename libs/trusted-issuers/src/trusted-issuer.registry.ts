import { Logger } from '@nestjs/common';
import type { AuditLogService } from '@s2s/audit';
import { type AdminActor, type ChangeFeed, type Clock, NotFoundError, SYSTEM_ACTOR, type UnitOfWork } from '@s2s/core';
import { downloadedMetadataStatus, failedMetadataStatus, flaggedMetadataStatus, type MetadataStatus } from './metadata-status.js';
import type { TrustedIssuer } from './trusted-issuer.js';
import type { TrustedIssuerRepository } from './trusted-issuer.repository.js';

/** What tells one kind of trusted issuer from another in the registry: names, topic, audit view. */
export interface TrustedIssuerKind<K, R extends TrustedIssuer<K>> {
  /** Audit target type and action prefix: `partner-application`, `oauth-server`. */
  targetType: string;
  /** Change-feed topic announcing every change of this kind. */
  topic: string;
  /** What an admin calls one: `partner application`, `OAuth server` (in the 404 for an unknown identity). */
  noun: string;
  /** The kind's own fields the audit log keeps of a record, in order (public settings only, never a CA bundle). */
  audited: readonly (keyof R & string)[];
  /** The id the audit log names a key by. */
  keyId(key: K): string | null;
  /** Keys held back from trust until an admin approves them (a partner's `review` policy); none when absent. */
  pendingKeys?(record: R): K[];
}

/** How a refresh downloads a kind's metadata and applies it. */
export interface MetadataRefetch<R, D> {
  /** Downloads and parses the metadata (and keys) of the record. */
  download(record: R): Promise<D>;
  /** Why the document must not be applied (it names another issuer), or null when it may. */
  reviewReason(record: R, downloaded: D): string | null;
  /** The record with the downloaded keys applied and the given status. */
  apply(record: R, downloaded: D, metadataStatus: MetadataStatus): R;
}

/**
 * The registry side every trusted-issuer kind shares (SPEC 5.5): reads and removal; changes made
 * in one unit of work together with their audit event and change-feed announcement; and the
 * metadata refresh that keeps the last known good keys when a download fails and flags a document
 * naming another issuer for review instead of applying it. A kind's service extends this: it
 * validates its own input and policy (`create`, `update`, `refresh`) and hands the finished record
 * to {@link insert}, {@link replace} and {@link refetch}. Its constructor passes the dependencies
 * it was injected with.
 */
export abstract class TrustedIssuerRegistry<K, R extends TrustedIssuer<K>> {
  protected readonly logger: Logger;

  protected constructor(
    private readonly repository: TrustedIssuerRepository<R>,
    private readonly unitOfWork: UnitOfWork,
    private readonly auditLog: AuditLogService,
    private readonly changeFeed: ChangeFeed,
    protected readonly clock: Clock,
    private readonly kind: TrustedIssuerKind<K, R>,
  ) {
    this.logger = new Logger(new.target.name);
  }

  list(): Promise<R[]> {
    return this.repository.list();
  }

  /** @throws NotFoundError for an unknown identity (compared in lowercase). */
  async get(identity: string): Promise<R> {
    const record = await this.repository.find(identity.toLowerCase());
    if (!record) throw new NotFoundError(`no ${this.kind.noun} ${identity}`);
    return record;
  }

  /** Stores a new record after `refuseConflicts` has looked at the existing ones (inside the same unit of work). */
  protected insert(record: R, actor: AdminActor, refuseConflicts: (existing: R[]) => void): Promise<R> {
    return this.change(async () => {
      refuseConflicts(await this.repository.list());
      await this.repository.insert(record);
      await this.audit(actor, 'create', record.identity, undefined, this.snapshot(record));
      return record;
    });
  }

  /** Stores a changed record (audited as `<kind>.<verb>`, `update` unless told otherwise). */
  protected replace(current: R, next: R, actor: AdminActor, verb = 'update'): Promise<R> {
    return this.change(async () => {
      await this.repository.update(next);
      await this.audit(actor, verb, current.identity, this.snapshot(current), this.snapshot(next));
      return next;
    });
  }

  remove(identity: string, actor: AdminActor): Promise<R> {
    return this.change(async () => {
      const record = await this.get(identity);
      await this.repository.delete(record.identity);
      await this.audit(actor, 'remove', record.identity, this.snapshot(record), undefined);
      return record;
    });
  }

  /**
   * Downloads the record's metadata again. Success replaces the keys; a failure, an empty or
   * garbage document keeps the last known good keys and records the error; a document naming
   * another issuer is not applied but flagged for review. A scheduled refresh (system actor) is
   * audited only when the keys or the review flag changed.
   */
  protected async refetch<D>(record: R, actor: AdminActor, refetch: MetadataRefetch<R, D>): Promise<R> {
    const now = this.clock.now();
    let next: R;
    try {
      const downloaded = await refetch.download(record);
      const reviewReason = refetch.reviewReason(record, downloaded);
      next =
        reviewReason === null
          ? refetch.apply(record, downloaded, downloadedMetadataStatus(now))
          : { ...record, metadataStatus: flaggedMetadataStatus(record.metadataStatus, now, reviewReason) };
    } catch (error) {
      const message = (error as Error).message;
      next = { ...record, metadataStatus: failedMetadataStatus(record.metadataStatus, now, message) };
      this.logger.warn({ issuer: record.identity, err: message }, 'metadata refresh failed; last known good keys kept');
    }
    return this.change(async () => {
      await this.repository.update(next);
      const pendingIds = (issuer: R): (string | null)[] => (this.kind.pendingKeys?.(issuer) ?? []).map((key) => this.kind.keyId(key));
      const keysChanged = JSON.stringify(next.keys) !== JSON.stringify(record.keys) || JSON.stringify(pendingIds(next)) !== JSON.stringify(pendingIds(record));
      if (actor !== SYSTEM_ACTOR || keysChanged || next.metadataStatus.reviewReason !== record.metadataStatus.reviewReason) {
        const keyIds = (issuer: R): (string | null)[] => issuer.keys.map((key) => this.kind.keyId(key));
        const pending = (issuer: R): Record<string, unknown> => (this.kind.pendingKeys ? { pendingKeys: pendingIds(issuer) } : {});
        await this.audit(
          actor,
          'refresh',
          record.identity,
          { keys: keyIds(record), ...pending(record), reviewReason: record.metadataStatus.reviewReason },
          { keys: keyIds(next), ...pending(next), lastError: next.metadataStatus.lastError, reviewReason: next.metadataStatus.reviewReason },
        );
      }
      return next;
    });
  }

  /** What the audit log keeps of a record: the kind's audited fields, the enabled flag and download hosts, key ids. */
  private snapshot(record: R): Record<string, unknown> {
    const snapshot: Record<string, unknown> = {};
    for (const field of this.kind.audited) snapshot[field] = record[field];
    snapshot.enabled = record.enabled;
    snapshot.metadataHostAllowList = record.metadataHostAllowList;
    snapshot.allowHttpMetadata = record.allowHttpMetadata;
    snapshot.keys = record.keys.map((key) => this.kind.keyId(key));
    if (this.kind.pendingKeys) snapshot.pendingKeys = this.kind.pendingKeys(record).map((key) => this.kind.keyId(key));
    return snapshot;
  }

  private audit(actor: AdminActor, verb: string, targetId: string, before: unknown, after: unknown): Promise<unknown> {
    const { targetType } = this.kind;
    return this.auditLog.record({ actor, action: `${targetType}.${verb}`, targetType, targetId, ...(before === undefined ? {} : { before }), ...(after === undefined ? {} : { after }) });
  }

  /** Runs a change in one unit of work and announces it to every instance. */
  private change<T>(fn: () => Promise<T>): Promise<T> {
    return this.unitOfWork.run(async () => {
      const result = await fn();
      await this.changeFeed.publish(this.kind.topic);
      return result;
    });
  }
}
