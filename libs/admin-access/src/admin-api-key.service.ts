import { randomUUID } from 'node:crypto';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Injectable } from '@nestjs/common';
import { AuditLogService } from '@s2s/audit';
import { timingSafeEqualDigests } from '@s2s/crypto';
import { type AdminActor, Clock, ConflictError, InvalidInputError, NotFoundError, SYSTEM_ACTOR, UnitOfWork } from '@s2s/core';
import { ADMIN_ROLES, type AdminApiKey, type AdminRole } from './admin-api-key.js';
import { AdminApiKeyRepository } from './admin-api-key.repository.js';
import { hashAdminApiKeySecret, mintAdminApiKey, parseAdminApiKey } from './admin-api-key.token.js';

/** A freshly created key: the stored record and the full key, which is shown only this once. */
export interface CreatedAdminApiKey {
  key: AdminApiKey;
  token: string;
}

/** Refresh `lastUsedAt` at most this often, so reads do not turn into a write per request. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** Creates, lists, revokes and checks admin API keys (SPEC 5.7). */
@Injectable()
export class AdminApiKeyService {
  constructor(
    private readonly keys: AdminApiKeyRepository,
    private readonly unitOfWork: UnitOfWork,
    private readonly auditLog: AuditLogService,
    private readonly clock: Clock,
  ) {}

  async create(input: { name: string; role: AdminRole; expiresAt?: Date | null }, actor: AdminActor): Promise<CreatedAdminApiKey> {
    const name = input.name.trim();
    if (!name || name.length > 100) throw InvalidInputError.forField('name', 'must be 1-100 characters');
    if (!ADMIN_ROLES.includes(input.role)) throw InvalidInputError.forField('role', `must be one of ${ADMIN_ROLES.join(', ')}`);
    const expiresAt = input.expiresAt ?? null;
    if (expiresAt && expiresAt.getTime() <= this.clock.now().getTime()) throw InvalidInputError.forField('expiresAt', 'must be in the future');
    return this.unitOfWork.run(async () => {
      const created = this.newKey(name, input.role, actor.keyId, expiresAt);
      await this.keys.insert(created.key);
      await this.auditLog.record({ actor, action: 'admin-key.create', targetType: 'admin-key', targetId: created.key.id, after: publicView(created.key) });
      return created;
    });
  }

  list(): Promise<AdminApiKey[]> {
    return this.keys.list();
  }

  async revoke(id: string, actor: AdminActor): Promise<AdminApiKey> {
    return this.unitOfWork.run(async () => {
      const key = await this.keys.findById(id);
      if (!key) throw new NotFoundError(`admin key ${id} does not exist`);
      if (key.revokedAt) throw new ConflictError(`admin key ${id} is already revoked`);
      if (key.id === actor.keyId) throw new ConflictError('a key cannot revoke itself; use another admin key');
      const revoked = { ...key, revokedAt: this.clock.now() };
      await this.keys.markRevoked(id, revoked.revokedAt);
      await this.auditLog.record({ actor, action: 'admin-key.revoke', targetType: 'admin-key', targetId: id, before: publicView(key), after: publicView(revoked) });
      return revoked;
    });
  }

  /** The active key a presented token belongs to, or null (unknown, wrong secret, revoked). */
  async authenticate(token: string): Promise<AdminApiKey | null> {
    const parsed = parseAdminApiKey(token);
    if (!parsed) return null;
    const key = await this.keys.findById(parsed.id);
    // Hash even for unknown ids so that timing does not tell which ids exist.
    const presentedHash = hashAdminApiKeySecret(parsed.secret);
    if (!key || !timingSafeEqualDigests(presentedHash, key.secretHash) || key.revokedAt) return null;
    const now = this.clock.now();
    // An expired key is refused like a revoked one (401): its holder learns nothing more.
    if (key.expiresAt && key.expiresAt.getTime() <= now.getTime()) return null;
    if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      // Best effort: a failed timestamp update must not fail the request it belongs to.
      await this.keys.markUsed(key.id, now).catch(() => undefined);
    }
    return key;
  }

  /**
   * On first start against an empty database, creates one admin key and writes it to `path` with
   * mode 0600. Returns the path when a key was created, null when keys already existed. Runs under
   * an exclusive lock so that instances starting together create only one.
   */
  async ensureBootstrapKey(path: string): Promise<string | null> {
    return this.unitOfWork.run(
      async () => {
        if ((await this.keys.count()) > 0) return null;
        const created = this.newKey('bootstrap', 'admin', null);
        await this.keys.insert(created.key);
        await this.auditLog.record({ actor: SYSTEM_ACTOR, action: 'admin-key.bootstrap', targetType: 'admin-key', targetId: created.key.id, after: publicView(created.key) });
        // Written inside the transaction: if the file cannot be written, no unusable key is stored.
        await mkdir(dirname(path), { recursive: true, mode: 0o700 });
        await writeFile(path, `${created.token}\n`, { mode: 0o600 });
        await chmod(path, 0o600);
        return path;
      },
      { exclusiveLock: 'admin-key.bootstrap' },
    );
  }

  private newKey(name: string, role: AdminRole, createdByKeyId: string | null, expiresAt: Date | null = null): CreatedAdminApiKey {
    const id = randomUUID();
    const { token, secretHash } = mintAdminApiKey(id);
    return { token, key: { id, name, role, secretHash, createdAt: this.clock.now(), lastUsedAt: null, revokedAt: null, createdByKeyId, expiresAt } };
  }
}

/** What the audit log records of a key: never the hash. */
function publicView(key: AdminApiKey): Omit<AdminApiKey, 'secretHash' | 'lastUsedAt'> {
  const { secretHash: _hash, lastUsedAt: _used, ...rest } = key;
  return rest;
}
