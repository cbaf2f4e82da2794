import { Injectable } from '@nestjs/common';
import { MetricsRegistry } from '@s2s/operations';
import { Counter } from 'prom-client';

/** The back-off's metrics by endpoint (issue 17): failed authentications, and requests refused with 429 while waiting. */
@Injectable()
export class AuthenticationMetrics {
  readonly failures: Counter<'endpoint' | 'subject'>;
  readonly refusals: Counter<'endpoint' | 'subject'>;

  constructor(metrics: MetricsRegistry) {
    this.failures = new Counter({
      name: 's2s_authentication_failures_total',
      help: 'Failed authentications counted by the back-off, by endpoint (token, introspect, revoke, admin) and subject kind (client, admin-key, address)',
      labelNames: ['endpoint', 'subject'] as const,
      registers: [metrics.registry],
    });
    this.refusals = new Counter({
      name: 's2s_authentication_backoff_refusals_total',
      help: 'Requests answered 429 while the caller backs off, by endpoint and subject kind',
      labelNames: ['endpoint', 'subject'] as const,
      registers: [metrics.registry],
    });
  }
}
