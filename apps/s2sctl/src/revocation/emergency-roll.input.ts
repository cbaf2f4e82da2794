import { UsageError } from '../common/cli-errors.js';

/** Body of `POST /admin/v1/certificate-assignments/oauth-token-issuer/emergency`. */
export interface EmergencyRollBody {
  thumbprint: string;
  reason: string;
}

/**
 * `certificate assign … --emergency --reason TEXT`: the route and body of the emergency roll. The
 * reason is required (it is audited); a roll and an effective date make no sense with it.
 */
export function buildEmergencyRoll(
  assignmentPath: string,
  options: {
    readonly thumbprint: string;
    readonly roll?: boolean;
    readonly effectiveDate?: string;
    readonly emergency?: boolean;
    readonly reason?: string;
    readonly force?: boolean;
    readonly activateWhenFetched?: boolean;
    readonly deadline?: string;
    readonly keepPrevious?: boolean;
  },
): { path: string; body: EmergencyRollBody } {
  if (!options.emergency) throw new UsageError('an emergency roll needs --emergency');
  if (options.roll || options.effectiveDate !== undefined) throw new UsageError('--emergency makes the certificate current now: it cannot be combined with --roll or --effective-date');
  if (options.force || options.activateWhenFetched || options.deadline !== undefined || options.keepPrevious) {
    throw new UsageError('--emergency withdraws the old key at once: it cannot be combined with --force, --activate-when-fetched, --deadline or --keep-previous');
  }
  if (options.reason === undefined || options.reason.trim() === '') throw new UsageError('--emergency needs --reason <text>: why the old key is withdrawn (it is audited)');
  return { path: `${assignmentPath}/emergency`, body: { thumbprint: options.thumbprint, reason: options.reason } };
}
