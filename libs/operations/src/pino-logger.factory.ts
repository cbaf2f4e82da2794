import { pino, type Logger as PinoLogger } from 'pino';

/**
 * Paths pino replaces with "[redacted]" wherever they appear: credentials in headers, and any field
 * that carries a secret or key material. Request logging only records method, URL and status, but
 * this is the net under everything else that might be logged later.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  '*.authorization',
  '*.password',
  '*.passphrase',
  '*.secret',
  '*.clientSecret',
  '*.client_secret',
  '*.privateKey',
  '*.privateKeyPem',
  '*.pfx',
  '*.token',
  '*.assertion',
  '*.client_assertion',
  '*.key',
];

/** The one pino instance of the process: JSON lines on stdout; `base` adds fields to every line (a worker's `pid` and `worker`). */
export function createPinoLogger(level: string, base: Record<string, unknown> = {}): PinoLogger {
  return pino({
    level,
    base: { service: 's2s-trust', ...base },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    formatters: { level: (label) => ({ level: label }) },
  });
}
