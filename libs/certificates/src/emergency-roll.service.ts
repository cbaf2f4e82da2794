import { Injectable } from '@nestjs/common';
import { AuditLogService } from '@s2s/audit';
import { type AdminActor, Clock, ConflictError, InvalidInputError, UnitOfWork } from '@s2s/core';
import { TokenIssuerAssignmentRepository } from './certificate.repository.js';
import { parseThumbprint } from './certificate-store.service.js';
import { settleAssignment } from './token-issuer-assignment.js';
import { TOKEN_ISSUER_ASSIGNMENT_TOPIC, TokenIssuerAssignmentService, type TokenIssuerAssignmentView } from './token-issuer-assignment.service.js';
import { TokenIssuerWithdrawalRepository } from './token-issuer-withdrawal.js';

/** Longest reason text kept in the audit log. */
export const MAX_EMERGENCY_REASON_LENGTH = 500;

/**
 * The emergency roll (issue 17): `certificate assign --emergency --reason TEXT`. In one transaction,
 * under the slots' lock: the certificate is assigned at once by the ordinary assignment (the same
 * acceptance rules, audited as `certificate-assignment.assign`), the key it replaced is taken out of
 * the previous slot at once (`certificate-assignment.remove-previous`) instead of staying published,
 * and recorded as withdrawn with the reason (`certificate-assignment.emergency-roll`). Every
 * instance drops the old key from metadata, JWKS and validation on the change feed; the metadata
 * documents are served `no-cache` for 24 h.
 */
@Injectable()
export class EmergencyRollService {
  constructor(
    private readonly assignments: TokenIssuerAssignmentService,
    private readonly slots: TokenIssuerAssignmentRepository,
    private readonly withdrawals: TokenIssuerWithdrawalRepository,
    private readonly unitOfWork: UnitOfWork,
    private readonly auditLog: AuditLogService,
    private readonly clock: Clock,
  ) {}

  async assign(thumbprint: string, reason: string, actor: AdminActor): Promise<TokenIssuerAssignmentView> {
    const text = reason.trim();
    if (text === '') throw InvalidInputError.forField('reason', 'an emergency roll needs a reason (it is audited)');
    const replacing = parseThumbprint(thumbprint);
    return this.unitOfWork.run(
      async () => {
        const now = this.clock.now();
        const before = settleAssignment(await this.slots.find(), now);
        const compromised = before.current;
        if (!compromised) throw new ConflictError('no current OAuth token-issuer certificate to withdraw: assign it without --emergency', 'no_current_certificate');
        if (compromised === replacing) throw new ConflictError(`certificate ${replacing} is already the current OAuth token-issuer certificate`, 'already_current');
        await this.assignments.assign({ thumbprint: replacing }, actor);
        const view = await this.assignments.removePrevious(actor);
        await this.withdrawals.record({ thumbprint: compromised, withdrawnAt: now, reason: text });
        await this.auditLog.record({
          actor,
          action: 'certificate-assignment.emergency-roll',
          targetType: 'certificate-assignment',
          targetId: 'OAuthTokenIssuer',
          before: { current: compromised, previous: before.previous },
          after: { current: replacing, withdrawn: compromised, reason: text },
        });
        return view;
      },
      { exclusiveLock: TOKEN_ISSUER_ASSIGNMENT_TOPIC },
    );
  }
}
