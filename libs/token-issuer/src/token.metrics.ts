import { Injectable } from '@nestjs/common';
import { MetricsRegistry } from '@s2s/operations';
import { Counter, Histogram } from 'prom-client';

/** Token endpoint metrics (SPEC 5.8): issued tokens by grant, failures by error and reason. */
@Injectable()
export class TokenMetrics {
  readonly issued: Counter<'grant' | 'kind'>;
  readonly failed: Counter<'error' | 'reason'>;
  readonly duration: Histogram<'result'>;

  constructor(metrics: MetricsRegistry) {
    this.issued = new Counter({
      name: 's2s_tokens_issued_total',
      help: 'Tokens issued by the token endpoint, by grant type and token kind (app, user)',
      labelNames: ['grant', 'kind'] as const,
      registers: [metrics.registry],
    });
    this.failed = new Counter({
      name: 's2s_token_requests_failed_total',
      help: 'Token requests refused, by OAuth error and specific reason',
      labelNames: ['error', 'reason'] as const,
      registers: [metrics.registry],
    });
    this.duration = new Histogram({
      name: 's2s_token_request_duration_seconds',
      help: 'Time to answer a token request (in-process, excluding HTTP), by result',
      labelNames: ['result'] as const,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
      registers: [metrics.registry],
    });
  }
}
