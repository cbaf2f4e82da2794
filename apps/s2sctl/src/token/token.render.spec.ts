import type { DecodedTokenView } from './jwt.decoder.js';
import { claimSeconds, renderDecodedToken, timeClaimLines } from './token.render.js';

/** Frozen at 2025-01-01T00:02:00Z: after nbf/iat, before exp of the fixtures below. */
const NOW = new Date('2025-01-01T00:02:00.000Z');

describe('claimSeconds', () => {
  it('reads numbers and the decimal strings of Microsoft S2S tokens, nothing else', () => {
    expect(claimSeconds(1735689600)).toBe(1735689600);
    expect(claimSeconds('1735689600')).toBe(1735689600);
    expect(claimSeconds('1735689600.5')).toBeUndefined();
    expect(claimSeconds('soon')).toBeUndefined();
    expect(claimSeconds(Number.NaN)).toBeUndefined();
    expect(claimSeconds(null)).toBeUndefined();
  });
});

describe('timeClaimLines', () => {
  it('lists iat, nbf, exp in that order as ISO times, marking expired and not-yet-valid tokens', () => {
    expect(timeClaimLines({ exp: 1735689900, iat: 1735689600, nbf: '1735689600', other: 5 }, NOW)).toEqual([
      'iat: 2025-01-01T00:00:00.000Z',
      'nbf: 2025-01-01T00:00:00.000Z',
      'exp: 2025-01-01T00:05:00.000Z',
    ]);
    expect(timeClaimLines({ exp: 1735689600, nbf: 1735693200 }, NOW)).toEqual(['nbf: 2025-01-01T01:00:00.000Z (not yet valid)', 'exp: 2025-01-01T00:00:00.000Z (expired)']);
    expect(timeClaimLines({ exp: 1e20 }, NOW)).toEqual([]);
  });
});

describe('renderDecodedToken', () => {
  it('prints header and payload blocks, the times, the nested actor token indented, and that nothing was verified', () => {
    const view: DecodedTokenView = {
      header: { typ: 'JWT', alg: 'none' },
      payload: { iss: 'c@contoso.com', exp: 1735689900, actortoken: '(hidden)' },
      actortoken: { header: { alg: 'RS256' }, payload: { nbf: 1735689600 } },
    };
    expect(renderDecodedToken(view, NOW).split('\n')).toEqual([
      'header:',
      '{',
      '  "typ": "JWT",',
      '  "alg": "none"',
      '}',
      'payload:',
      '{',
      '  "iss": "c@contoso.com",',
      '  "exp": 1735689900,',
      '  "actortoken": "(hidden)"',
      '}',
      'exp: 2025-01-01T00:05:00.000Z',
      'actortoken:',
      '  header:',
      '  {',
      '    "alg": "RS256"',
      '  }',
      '  payload:',
      '  {',
      '    "nbf": 1735689600',
      '  }',
      '  nbf: 2025-01-01T00:00:00.000Z',
      'signature: not verified (decode only)',
      '',
    ]);
  });

  it('has no actortoken section for an ordinary token', () => {
    const text = renderDecodedToken({ header: { alg: 'RS256' }, payload: { sub: 'x' } }, NOW);
    expect(text).not.toContain('actortoken');
    expect(text.endsWith('}\nsignature: not verified (decode only)\n')).toBe(true);
  });
});
