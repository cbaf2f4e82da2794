import { Injectable } from '@nestjs/common';
import { type TrustedIssuer, TrustedIssuerRepository } from '@s2s/trusted-issuers';
import type { EntityManager, EntityTarget } from 'typeorm';
import type { TrustedIssuerColumns } from '../entities/trusted-issuer.columns.js';
import { TypeOrmUnitOfWork } from '../typeorm-unit-of-work.js';

/** The trusted-issuer fields the shared columns map to (the metadata URL's nullability differs by kind). */
export type SharedFields<K> = Omit<TrustedIssuer<K>, 'metadataUrl'>;

/** The columns an entity adds to the shared ones. */
export type OwnColumns<E> = Omit<E, keyof TrustedIssuerColumns<unknown>>;

/** How one kind's keys and own columns map between domain and row. */
export interface TrustedIssuerRowMapping<K, KeyRow> {
  keyToRow(key: K): KeyRow;
  keyFromRow(row: KeyRow): K;
}

/**
 * The storage port of a trusted-issuer kind over its own table: the five operations, and the
 * mapping of the columns every kind shares (identity, enabled, fetch policy, keys, metadata status,
 * times). A kind's repository names its entity and maps only its own columns.
 */
@Injectable()
export abstract class TypeOrmTrustedIssuerRepository<K, R extends TrustedIssuer<K>, KeyRow, E extends TrustedIssuerColumns<KeyRow>> extends TrustedIssuerRepository<R> {
  protected abstract readonly entity: new () => E;
  protected abstract readonly keys: TrustedIssuerRowMapping<K, KeyRow>;

  constructor(private readonly unitOfWork: TypeOrmUnitOfWork) {
    super();
  }

  /** The row of a record: its own columns (the shared ones are added by {@link row}). */
  protected abstract ownColumns(record: R): OwnColumns<E>;

  /** The record of a row, given the shared fields already mapped. */
  protected abstract toDomain(row: E, shared: SharedFields<K>): R;

  async list(): Promise<R[]> {
    return (await this.manager().find(this.table(), { order: { identity: 'ASC' } })).map((row) => this.record(row as E));
  }

  async find(identity: string): Promise<R | null> {
    const row = await this.manager().findOneBy(this.table(), { identity: identity.toLowerCase() });
    return row ? this.record(row as E) : null;
  }

  async insert(record: R): Promise<void> {
    await this.manager().insert(this.table(), this.row(record) as TrustedIssuerColumns<object>);
  }

  async update(record: R): Promise<void> {
    await this.manager().save(this.table(), this.row(record) as TrustedIssuerColumns<object>);
  }

  async delete(identity: string): Promise<void> {
    await this.manager().delete(this.table(), { identity });
  }

  private manager(): EntityManager {
    return this.unitOfWork.manager();
  }

  /** The entity, seen through its shared columns (what the five operations touch). */
  private table(): EntityTarget<TrustedIssuerColumns<object>> {
    return this.entity;
  }

  private row(record: R): E {
    const { metadataStatus: status } = record;
    return Object.assign(new this.entity(), this.ownColumns(record), {
      identity: record.identity,
      enabled: record.enabled,
      metadataCaBundle: record.metadataCaBundle,
      metadataHostAllowList: record.metadataHostAllowList,
      allowHttpMetadata: record.allowHttpMetadata,
      keys: record.keys.map((key) => this.keys.keyToRow(key)),
      metadataLastAttemptAt: status.lastAttemptAt,
      metadataLastSuccessAt: status.lastSuccessAt,
      metadataLastError: status.lastError,
      metadataReviewReason: status.reviewReason,
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
    });
  }

  private record(row: E): R {
    return this.toDomain(row, {
      identity: row.identity,
      enabled: row.enabled,
      metadataCaBundle: row.metadataCaBundle,
      metadataHostAllowList: row.metadataHostAllowList,
      allowHttpMetadata: row.allowHttpMetadata,
      keys: row.keys.map((key) => this.keys.keyFromRow(key)),
      metadataStatus: {
        lastAttemptAt: row.metadataLastAttemptAt,
        lastSuccessAt: row.metadataLastSuccessAt,
        lastError: row.metadataLastError,
        reviewReason: row.metadataReviewReason,
      },
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    });
  }
}
