/**
 * The certificate the HTTPS listener serves (its leaf), given by the server at start; null with
 * `TLS_MODE=off` (TLS ends at a proxy, whose certificate this service cannot see).
 */
export class ServingCertificate {
  constructor(readonly certificate: { thumbprint: string; notAfter: Date; pem: string } | null) {}
}
