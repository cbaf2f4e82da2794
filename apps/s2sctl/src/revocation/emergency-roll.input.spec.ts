import { UsageError } from '../common/cli-errors.js';
import { buildEmergencyRoll } from './emergency-roll.input.js';

const PATH = '/certificate-assignments/oauth-token-issuer';
const T = '9A3F0000000000000000000000000000000000041';

describe('certificate assign --emergency', () => {
  it('posts the thumbprint and the reason to the emergency route', () => {
    expect(buildEmergencyRoll(PATH, { thumbprint: T, emergency: true, reason: 'key leaked' })).toEqual({
      path: `${PATH}/emergency`,
      body: { thumbprint: T, reason: 'key leaked' },
    });
  });

  it.each([
    [{ thumbprint: T, emergency: true }, '--emergency needs --reason <text>: why the old key is withdrawn (it is audited)'],
    [{ thumbprint: T, emergency: true, reason: '  ' }, '--emergency needs --reason <text>: why the old key is withdrawn (it is audited)'],
    [{ thumbprint: T, reason: 'why' }, 'an emergency roll needs --emergency'],
    [{ thumbprint: T, emergency: true, reason: 'why', force: true }, '--emergency withdraws the old key at once: it cannot be combined with --force, --activate-when-fetched, --deadline or --keep-previous'],
    [{ thumbprint: T, emergency: true, reason: 'why', keepPrevious: true }, '--emergency withdraws the old key at once: it cannot be combined with --force, --activate-when-fetched, --deadline or --keep-previous'],
    [{ thumbprint: T, emergency: true, reason: 'why', roll: true }, '--emergency makes the certificate current now: it cannot be combined with --roll or --effective-date'],
    [{ thumbprint: T, emergency: true, reason: 'why', effectiveDate: '2027-01-01T00:00:00Z' }, '--emergency makes the certificate current now: it cannot be combined with --roll or --effective-date'],
  ])('refuses %j', (options, message) => {
    expect(() => buildEmergencyRoll(PATH, options)).toThrow(new UsageError(message));
  });
});
