import { daysToExpiry, EXPIRY_WARNING_DAYS, expiresSoon } from './stored-certificate.js';

describe('certificate expiry', () => {
  const NOW = new Date('2026-11-22T12:00:00.000Z');
  const inDays = (days: number): Date => new Date(NOW.getTime() + days * 86_400_000);

  it.each([
    [400, 400, false],
    [EXPIRY_WARNING_DAYS, EXPIRY_WARNING_DAYS, false],
    [EXPIRY_WARNING_DAYS - 0.5, EXPIRY_WARNING_DAYS - 1, true],
    [0.5, 0, true],
    [-0.5, -1, false],
    [-30, -30, false],
  ])('notAfter in %d days: %d whole days left, expiring soon %s', (offset, days, soon) => {
    expect(daysToExpiry(inDays(offset), NOW)).toBe(days);
    expect(expiresSoon(daysToExpiry(inDays(offset), NOW))).toBe(soon);
  });
});
