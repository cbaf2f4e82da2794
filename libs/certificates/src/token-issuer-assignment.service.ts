import { Injectable } from '@nestjs/common';
import { AuditLogService } from '@s2s/audit';
import { type AdminActor, ChangeFeed, Clock, ConflictError, InvalidInputError, NotFoundError, SYSTEM_ACTOR, UnitOfWork } from '@s2s/core';
import { describeCertificate } from '@s2s/crypto';
import { longestTokenLifetimeSeconds, OAuthConfigurationService } from '@s2s/oauth-configuration';
import { checkCertificateUsable, checkRealmCovered } from './certificate-acceptance.rules.js';
import { CertificateRejectedError } from './certificate-rejected.error.js';
import { CertificateRepository, TokenIssuerAssignmentRepository } from './certificate.repository.js';
import { CertificateStoreService } from './certificate-store.service.js';
import { PrivateKeyVault } from './private-key.vault.js';
import type { StoredCertificate } from './stored-certificate.js';
import {
  assignImmediately,
  awaitingActivation,
  clearPrevious,
  previousRemovableAt,
  publishedThumbprints,
  settleAssignment,
  stageRoll,
  type StagedRoll,
  switchTo,
  type TokenIssuerAssignment,
} from './token-issuer-assignment.js';

/** Change-feed topic (and advisory lock) of the token-issuer slots. */
export const TOKEN_ISSUER_ASSIGNMENT_TOPIC = 'token-issuer-assignment';

/** The slots with their certificates. */
export interface TokenIssuerAssignmentView {
  current: StoredCertificate | null;
  next: StoredCertificate | null;
  nextEffectiveAt: Date | null;
  previous: StoredCertificate | null;
  /** How the staged certificate activates; null when nothing is staged. */
  roll: StagedRoll | null;
  /** When the previous certificate is removed automatically; null when it is not (none, kept, or the switch time is unknown). */
  previousRemovalAt: Date | null;
}

/** A request to fill a slot: at once, or as a roll at an effective date. */
export interface AssignmentRequest {
  thumbprint: string;
  roll?: boolean;
  effectiveDate?: Date;
  /** Allow an effective date closer than the minimum roll lead; needs `reason`. */
  force?: boolean;
  /** Why the minimum lead is overridden; recorded in the audit event. */
  reason?: string;
  /** Activation gate: become current only once every enabled partner fetched since publication. */
  activateWhenFetched?: boolean;
  /** Gated roll: when it becomes current anyway (default: 7 days after the effective date, capped before either certificate expires). */
  deadline?: Date;
  /** Keep the certificate this change retires instead of removing it once its tokens have expired. */
  keepPrevious?: boolean;
}

/** Default wait of a gated roll after its effective date before it activates anyway. */
export const DEFAULT_ACTIVATION_WAIT_MS = 7 * 86_400_000;
/** A gated roll's default deadline stays this far before either certificate expires. */
const DEADLINE_MARGIN_MS = 3_600_000;
/**
 * Added to the longest token lifetime before the previous certificate is removed: other instances
 * may sign with it until the change feed brings them the switch (within 2 s), so a minute more.
 */
export const SWITCH_PROPAGATION_SECONDS = 60;
/** Longest reason text kept in the audit log. */
export const MAX_FORCE_REASON = 500;

/**
 * `Set-CsCertificate -Type OAuthTokenIssuer [-Roll -EffectiveDate]` and
 * `Remove-CsCertificate -Type OAuthTokenIssuer -Previous` (SPEC 5.2). Changes are serialised by an
 * advisory lock across instances; each starts from the slots as they stand now (a roll whose
 * effective date has passed is made permanent first) and is announced on the change feed.
 */
@Injectable()
export class TokenIssuerAssignmentService {
  constructor(
    private readonly assignments: TokenIssuerAssignmentRepository,
    private readonly certificates: CertificateRepository,
    private readonly store: CertificateStoreService,
    private readonly unitOfWork: UnitOfWork,
    private readonly auditLog: AuditLogService,
    private readonly changeFeed: ChangeFeed,
    private readonly oauthConfiguration: OAuthConfigurationService,
    private readonly vault: PrivateKeyVault,
    private readonly clock: Clock,
  ) {}

  async view(): Promise<TokenIssuerAssignmentView> {
    return this.toView(settleAssignment(await this.assignments.find(), this.clock.now()));
  }

  async assign(request: AssignmentRequest, actor: AdminActor): Promise<TokenIssuerAssignmentView> {
    if (request.roll && !request.effectiveDate) throw InvalidInputError.forField('effectiveDate', 'a roll needs an effective date');
    if (!request.roll && request.effectiveDate) throw InvalidInputError.forField('effectiveDate', 'an effective date is only used with roll: true');
    if (!request.roll && request.activateWhenFetched) throw InvalidInputError.forField('activateWhenFetched', 'the activation gate is only used with roll: true');
    if (request.deadline && !request.activateWhenFetched) throw InvalidInputError.forField('deadline', 'a deadline is only used with activateWhenFetched: true');
    if (request.force && !request.reason?.trim()) throw InvalidInputError.forField('reason', 'force needs a reason (it is recorded in the audit log)');
    if (request.reason !== undefined && !request.force) throw InvalidInputError.forField('reason', 'a reason is only used with force: true');
    if (request.reason !== undefined && request.reason.length > MAX_FORCE_REASON) throw InvalidInputError.forField('reason', `must be at most ${MAX_FORCE_REASON} characters`);
    return this.change(async (assignment, now) => {
      const certificate = await this.store.require(request.thumbprint);
      const realm = this.oauthConfiguration.cached().realm;
      if (!realm) {
        throw new CertificateRejectedError(
          'realm_not_configured',
          'set the realm first (s2sctl oauth-configuration set --realm <realm>): the token-issuer certificate must name it',
          'thumbprint',
        );
      }
      checkCertificateUsable(describeCertificate(certificate.certificatePem), now, 'thumbprint');
      checkRealmCovered(certificate.dnsNames, realm, 'thumbprint');
      this.checkKeyOpens(certificate);
      if (!request.roll) {
        if (assignment.current === certificate.thumbprint) return { next: assignment, action: null };
        return { next: assignImmediately(assignment, certificate.thumbprint, now, request.keepPrevious === true), action: 'certificate-assignment.assign' };
      }
      const next = await this.rollTo(assignment, certificate, request, now);
      const forced = request.force === true ? { forced: true, reason: request.reason!.trim() } : {};
      return { next, action: 'certificate-assignment.roll', details: forced };
    }, actor);
  }

  /**
   * The activation gate opened (every enabled partner fetched since publication): a gated roll
   * whose effective date has passed becomes current now. Recorded as the system. Only when
   * `thumbprint` is still the staged one; returns whether it switched.
   */
  async activateGatedRoll(thumbprint: string, evidence: Record<string, unknown>): Promise<boolean> {
    let switched = false;
    await this.change(async (assignment, now) => {
      if (assignment.next !== thumbprint || !awaitingActivation(assignment, now)) return { next: assignment, action: null };
      switched = true;
      return { next: switchTo(assignment, now), action: 'certificate-assignment.roll-activated', details: { activation: 'every enabled partner fetched the metadata since publication', ...evidence } };
    });
    return switched;
  }

  /**
   * Records, once per roll, that a gated roll waits for partners (the audit half of the alert).
   * Returns true when this call recorded it.
   */
  async recordActivationWaiting(thumbprint: string, evidence: Record<string, unknown>): Promise<boolean> {
    let recorded = false;
    await this.change(async (assignment, now) => {
      if (assignment.next !== thumbprint || !assignment.roll || assignment.roll.alertedAt || !awaitingActivation(assignment, now)) return { next: assignment, action: null };
      recorded = true;
      return {
        next: { ...assignment, roll: { ...assignment.roll, alertedAt: now } },
        action: 'certificate-assignment.activation-waiting',
        details: { deadline: assignment.roll.deadline.toISOString(), ...evidence },
      };
    });
    return recorded;
  }

  /**
   * Removes the previous certificate from its slot once every token it signed has expired (the
   * longest token lifetime plus clock skew after the switch), never earlier, unless the operator
   * kept it. Recorded as the system; returns the removed thumbprint or null.
   */
  async removeExpiredPrevious(): Promise<string | null> {
    let removed: string | null = null;
    await this.change(async (assignment, now) => {
      const due = previousRemovableAt(assignment, this.previousRetentionSeconds());
      if (!due || due > now) return { next: assignment, action: null };
      removed = assignment.previous;
      return { next: clearPrevious(assignment, now), action: 'certificate-assignment.previous-removed', details: { retiredAt: assignment.previousRetiredAt?.toISOString() } };
    });
    return removed;
  }

  /** How long a retired certificate stays published: every token it signed, on any instance, has expired by then. */
  private previousRetentionSeconds(): number {
    return longestTokenLifetimeSeconds(this.oauthConfiguration.cached()) + SWITCH_PROPAGATION_SECONDS;
  }

  /** The stored slots as they stand now (settled), for the rollover scheduler. */
  async slots(): Promise<TokenIssuerAssignment> {
    return settleAssignment(await this.assignments.find(), this.clock.now());
  }

  /** Empties the previous slot. */
  async removePrevious(actor: AdminActor): Promise<TokenIssuerAssignmentView> {
    return this.change(async (assignment, now) => {
      if (!assignment.previous) throw new NotFoundError('no previous OAuth token-issuer certificate is assigned');
      return { next: clearPrevious(assignment, now), action: 'certificate-assignment.remove-previous' };
    }, actor);
  }

  /**
   * Makes a roll whose effective date has passed permanent in the database (the key ring already
   * signs with it from that instant). Idempotent; safe to call from every instance.
   */
  async activateDueRoll(): Promise<boolean> {
    let activated = false;
    await this.unitOfWork.run(
      async () => {
        activated = await this.persistSettled(await this.assignments.find(), this.clock.now());
      },
      { exclusiveLock: TOKEN_ISSUER_ASSIGNMENT_TOPIC },
    );
    return activated;
  }

  /** Who depends on the current identity: used to require `force` for a realm/service-name change. */
  async identityDependency(): Promise<string | null> {
    const assignment = settleAssignment(await this.assignments.find(), this.clock.now());
    return assignment.current ? `OAuth token-issuer certificate ${assignment.current} is assigned and published in the metadata document` : null;
  }

  /** A certificate whose key this master key cannot open must never reach a signing slot. */
  private checkKeyOpens(certificate: StoredCertificate): void {
    try {
      this.vault.open(certificate.sealedPrivateKey, PrivateKeyVault.certificateContext(certificate.thumbprintSha256));
    } catch {
      throw new CertificateRejectedError(
        'invalid_private_key',
        `the private key of certificate ${certificate.thumbprint} cannot be decrypted with this master key`,
        'thumbprint',
      );
    }
  }

  private async rollTo(assignment: TokenIssuerAssignment, certificate: StoredCertificate, request: AssignmentRequest, now: Date): Promise<TokenIssuerAssignment> {
    const effectiveAt = request.effectiveDate!;
    if (!assignment.current) {
      throw new ConflictError('no current OAuth token-issuer certificate to roll from: assign it without roll', 'no_current_certificate');
    }
    if (assignment.current === certificate.thumbprint) {
      throw new ConflictError(`certificate ${certificate.thumbprint} is already the current OAuth token-issuer certificate`, 'already_current');
    }
    if (effectiveAt <= now) {
      throw new CertificateRejectedError('invalid_effective_date', `the effective date ${effectiveAt.toISOString()} is not in the future`, 'effectiveDate');
    }
    const minimumLeadSeconds = this.oauthConfiguration.cached().minimumRollLeadSeconds;
    const leadSeconds = Math.floor((effectiveAt.getTime() - now.getTime()) / 1000);
    if (leadSeconds < minimumLeadSeconds && !request.force) {
      throw new CertificateRejectedError(
        'roll_lead_too_short',
        `the effective date ${effectiveAt.toISOString()} is ${formatSeconds(leadSeconds)} ahead, less than the minimum roll lead of ${formatSeconds(minimumLeadSeconds)}: ` +
          `partners that cache our metadata would not know the new key yet. Choose an effective date after ${new Date(now.getTime() + minimumLeadSeconds * 1000).toISOString()}, or repeat with force and a reason`,
        'effectiveDate',
      );
    }
    const current = await this.certificates.find(assignment.current);
    // Tokens must never be signed with an expired certificate: the new one takes over before the old one ends.
    if (current && effectiveAt >= current.notAfter) {
      throw new CertificateRejectedError(
        'invalid_effective_date',
        `the effective date ${effectiveAt.toISOString()} is not before the current certificate expires (${current.notAfter.toISOString()})`,
        'effectiveDate',
      );
    }
    if (effectiveAt >= certificate.notAfter) {
      throw new CertificateRejectedError(
        'invalid_effective_date',
        `the effective date ${effectiveAt.toISOString()} is not before the new certificate expires (${certificate.notAfter.toISOString()})`,
        'effectiveDate',
      );
    }
    let deadline: Date | undefined;
    if (request.activateWhenFetched) {
      deadline = request.deadline ?? defaultDeadline(effectiveAt, current?.notAfter ?? null, certificate.notAfter);
      if (deadline < effectiveAt) {
        throw new CertificateRejectedError('invalid_deadline', `the deadline ${deadline.toISOString()} is before the effective date ${effectiveAt.toISOString()}`, 'deadline');
      }
      for (const [which, notAfter] of [['current', current?.notAfter], ['new', certificate.notAfter]] as const) {
        if (notAfter && deadline >= notAfter) {
          throw new CertificateRejectedError('invalid_deadline', `the deadline ${deadline.toISOString()} is not before the ${which} certificate expires (${notAfter.toISOString()})`, 'deadline');
        }
      }
    }
    return stageRoll(assignment, certificate.thumbprint, effectiveAt, now, {
      activateWhenFetched: request.activateWhenFetched === true,
      ...(deadline ? { deadline } : {}),
      keepPrevious: request.keepPrevious === true,
    });
  }

  private async change(
    decide: (assignment: TokenIssuerAssignment, now: Date) => Promise<{ next: TokenIssuerAssignment; action: string | null; details?: Record<string, unknown> }>,
    actor: AdminActor = SYSTEM_ACTOR,
  ): Promise<TokenIssuerAssignmentView> {
    return this.unitOfWork.run(
      async () => {
        const now = this.clock.now();
        const stored = await this.assignments.find();
        await this.persistSettled(stored, now);
        const before = settleAssignment(stored, now);
        const { next, action, details } = await decide(before, now);
        if (action) {
          await this.assignments.save(next);
          await this.changeFeed.publish(TOKEN_ISSUER_ASSIGNMENT_TOPIC);
          await this.auditLog.record({ actor, action, targetType: 'certificate-assignment', targetId: 'OAuthTokenIssuer', before: auditSlots(before), after: { ...auditSlots(next), ...details } });
        }
        return this.toView(next);
      },
      { exclusiveLock: TOKEN_ISSUER_ASSIGNMENT_TOPIC },
    );
  }

  /** Writes the settled slots when a roll has come due; audited as done by the system. */
  private async persistSettled(stored: TokenIssuerAssignment, now: Date): Promise<boolean> {
    const settled = settleAssignment(stored, now);
    if (settled === stored) return false;
    await this.assignments.save(settled);
    await this.changeFeed.publish(TOKEN_ISSUER_ASSIGNMENT_TOPIC);
    await this.auditLog.record({
      actor: SYSTEM_ACTOR,
      action: 'certificate-assignment.roll-activated',
      targetType: 'certificate-assignment',
      targetId: 'OAuthTokenIssuer',
      before: auditSlots(stored),
      after: {
        ...auditSlots(settled),
        activation: stored.roll?.activateWhenFetched ? 'deadline reached (not every enabled partner had fetched the metadata)' : 'effective date reached',
      },
    });
    return true;
  }

  private async toView(assignment: TokenIssuerAssignment): Promise<TokenIssuerAssignmentView> {
    const certificates = new Map((await this.certificates.findMany(publishedThumbprints(assignment))).map((c) => [c.thumbprint, c]));
    const pick = (thumbprint: string | null): StoredCertificate | null => (thumbprint ? (certificates.get(thumbprint) ?? null) : null);
    return {
      current: pick(assignment.current),
      next: pick(assignment.next),
      nextEffectiveAt: assignment.nextEffectiveAt,
      previous: pick(assignment.previous),
      roll: assignment.roll,
      previousRemovalAt: previousRemovableAt(assignment, this.previousRetentionSeconds()),
    };
  }
}

/** A gated roll's deadline when none is given: a week after the effective date, an hour before either certificate expires. */
function defaultDeadline(effectiveAt: Date, currentNotAfter: Date | null, nextNotAfter: Date): Date {
  const latest = Math.min(currentNotAfter?.getTime() ?? Infinity, nextNotAfter.getTime()) - DEADLINE_MARGIN_MS;
  return new Date(Math.max(effectiveAt.getTime(), Math.min(effectiveAt.getTime() + DEFAULT_ACTIVATION_WAIT_MS, latest)));
}

/** `26h 0m`-style, for messages. */
function formatSeconds(seconds: number): string {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  return hours > 0 ? `${hours}h ${minutes}m` : `${minutes}m ${seconds % 60}s`;
}

function auditSlots(assignment: TokenIssuerAssignment): Record<string, unknown> {
  return {
    current: assignment.current,
    next: assignment.next,
    nextEffectiveAt: assignment.nextEffectiveAt?.toISOString() ?? null,
    activateWhenFetched: assignment.roll?.activateWhenFetched ?? false,
    deadline: assignment.roll?.activateWhenFetched ? assignment.roll.deadline.toISOString() : null,
    previous: assignment.previous,
  };
}
