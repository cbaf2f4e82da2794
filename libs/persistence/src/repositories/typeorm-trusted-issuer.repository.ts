import { Injectable } from '@nestjs/common';
import { type TrustedIssuer, TrustedIssuerRepository } from '@s2s/trusted-issuers';
import type { EntityManager, EntityTarget } from 'typeorm';
import type { TrustedIssuerColumns } from '../entities/trusted-issuer.columns.js';
import { TypeOrmUnitOfWork } from '../typeorm-unit-of-work.js';

/** The trusted-issuer fields the shared columns map to (the metadata URL's nullability differs by kind). */
type SharedFields<K> = Omit<TrustedIssuer<K>, 'metadataUrl'>;

/** The columns an entity adds to the shared ones. */
type OwnColumns<E> = Omit<E, keyof TrustedIssuerColumns<unknown>>;

/** How one kind's keys and own columns map between domain and row. */
export interface TrustedIssuerRowMapping<K, KeyRow> {
  keyToRow(key: K): KeyRow;
  keyFromRow(row: KeyRow): K;
}

/**
 * The storage port of a trusted-issuer kind over its own table: the five operations, and the
 * mapping of the columns every kind shares (identity, enabled, fetch policy, keys, metadata status,
 * times). A kind's repository names its entity, how its keys are stored, and its own columns,
 * which hold the domain field of the same name as it is (text, boolean, uuid, jsonb; the table's
 * CHECK constraints keep the enumerations valid).
 */
@Injectable()
export abstract class TypeOrmTrustedIssuerRepository<K, R extends TrustedIssuer<K>, KeyRow, E extends TrustedIssuerColumns<KeyRow>> extends TrustedIssuerRepository<R> {
  protected abstract readonly entity: new () => E;
  protected abstract readonly keys: TrustedIssuerRowMapping<K, KeyRow>;

  constructor(private readonly unitOfWork: TypeOrmUnitOfWork) {
    super();
  }

  /** The entity's own columns, each holding the domain field of the same name. */
  protected abstract readonly ownColumns: readonly (keyof OwnColumns<E> & keyof R & string)[];

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

  /** How an own column stores its domain field: as it is, unless the kind says otherwise (keys with dates). */
  protected ownColumnToRow(_column: string, value: unknown): unknown {
    return value;
  }

  protected ownColumnFromRow(_column: string, value: unknown): unknown {
    return value;
  }

  protected manager(): EntityManager {
    return this.unitOfWork.manager();
  }

  /** The entity, seen through its shared columns (what the five operations touch). */
  private table(): EntityTarget<TrustedIssuerColumns<object>> {
    return this.entity;
  }

  private row(record: R): E {
    const { metadataStatus: status } = record;
    const row = new this.entity();
    for (const column of this.ownColumns) (row as Record<string, unknown>)[column] = this.ownColumnToRow(column, record[column]);
    return Object.assign(row, {
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
    const own: Record<string, unknown> = {};
    for (const column of this.ownColumns) own[column] = this.ownColumnFromRow(column, row[column]);
    const shared: SharedFields<K> = {
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
    };
    return { ...own, ...shared } as R;
  }
}
