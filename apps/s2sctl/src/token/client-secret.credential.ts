/**
 * `client_secret_basic` (RFC 6749 section 2.3.1): the client id and secret are each encoded with
 * the application/x-www-form-urlencoded algorithm (Appendix B) and only then joined with `:` and
 * base64-encoded as HTTP Basic credentials (RFC 7617). Skipping the first step breaks secrets that
 * contain `:`, `%` or `+`, which a strict server decodes.
 */

/**
 * application/x-www-form-urlencoded encoding of one value (RFC 6749 Appendix B): UTF-8,
 * percent-encoded, with spaces as `+`.
 */
export function formUrlEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+');
}

/** The `Authorization` header value for `client_secret_basic`. */
export function basicAuthorization(clientId: string, clientSecret: string): string {
  const credentials = `${formUrlEncode(clientId)}:${formUrlEncode(clientSecret)}`;
  return `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;
}
