import { generateSecret } from './secret.generator.js';

describe('generateSecret', () => {
  it('returns 32 random bytes as unpadded base64url by default', () => {
    const secret = generateSecret();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
  });

  it('honours the requested length', () => {
    expect(Buffer.from(generateSecret(16), 'base64url')).toHaveLength(16);
    expect(Buffer.from(generateSecret(64), 'base64url')).toHaveLength(64);
  });

  it('does not repeat', () => {
    const secrets = new Set(Array.from({ length: 1000 }, () => generateSecret()));
    expect(secrets.size).toBe(1000);
  });

  it.each([0, 8, 15, 16.5, -1, Number.NaN])('rejects %p bytes', (bytes) => {
    expect(() => generateSecret(bytes)).toThrow(RangeError);
  });
});
