import { type TokenIssuerKeyRing, type TokenIssuerWithdrawal, type TokenIssuerWithdrawalRepository, TokenIssuerWithdrawals } from '@s2s/certificates';
import type { AppConfig } from '@s2s/config';
import type { ChangeFeed, Clock } from '@s2s/core';
import type { OAuthConfigurationService } from '@s2s/oauth-configuration';
import type { MetadataDownloadLog } from '@s2s/rollover';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { cacheControl, METADATA_MAX_AGE_SECONDS, MetadataController } from './metadata.controller.js';

const NOW = new Date('2026-11-22T12:00:00Z');

function inMs(ms: number): Date {
  return new Date(NOW.getTime() + ms);
}

describe('cacheControl', () => {
  it('allows 5 minutes when no key change is scheduled', () => {
    expect(METADATA_MAX_AGE_SECONDS).toBe(300);
    expect(cacheControl(null, NOW)).toBe('public, max-age=300');
  });

  it('allows 5 minutes when the scheduled change is further away', () => {
    expect(cacheControl(inMs(3_600_000), NOW)).toBe('public, max-age=300');
    expect(cacheControl(inMs(300_000), NOW)).toBe('public, max-age=300');
  });

  it('shortens max-age to the whole seconds left before the change', () => {
    expect(cacheControl(inMs(299_999), NOW)).toBe('public, max-age=299');
    expect(cacheControl(inMs(10_500), NOW)).toBe('public, max-age=10');
    expect(cacheControl(inMs(1_000), NOW)).toBe('public, max-age=1');
  });

  it('forbids caching when less than a second is left', () => {
    expect(cacheControl(inMs(999), NOW)).toBe('no-cache');
    expect(cacheControl(inMs(1), NOW)).toBe('no-cache');
  });

  // A change at or before now has already happened (the key ring settles the slots on every read),
  // so the document no longer changes at that instant and the full max-age applies again.
  it('allows 5 minutes when the scheduled change is now or past due', () => {
    expect(cacheControl(new Date(NOW.getTime()), NOW)).toBe('public, max-age=300');
    expect(cacheControl(inMs(-1), NOW)).toBe('public, max-age=300');
    expect(cacheControl(inMs(-86_400_000), NOW)).toBe('public, max-age=300');
  });
});

describe('MetadataController headers', () => {
  const recorded: unknown[][] = [];
  const request = (headers: Record<string, string> = {}): FastifyRequest =>
    ({ headers, socket: { remoteAddress: '::ffff:10.0.0.5' } }) as unknown as FastifyRequest;

  interface SentReply {
    headers: Record<string, string>;
    status: number;
    contentType?: string;
    body?: string;
  }

  function fakeReply(): { reply: FastifyReply; sent: SentReply } {
    const sent: SentReply = { headers: {}, status: 200 };
    const reply = {
      header(name: string, value: string) {
        sent.headers[name] = value;
        return reply;
      },
      status(code: number) {
        sent.status = code;
        return reply;
      },
      type(value: string) {
        sent.contentType = value;
        return reply;
      },
      send(body?: string) {
        sent.body = body;
        return reply;
      },
    };
    return { reply: reply as unknown as FastifyReply, sent };
  }

  /** The real withdrawals holder over a repository listing `withdrawals` (no database here). */
  async function withdrawalsOf(withdrawals: TokenIssuerWithdrawal[]): Promise<TokenIssuerWithdrawals> {
    const repository = { list: async () => withdrawals } as unknown as TokenIssuerWithdrawalRepository;
    const holder = new TokenIssuerWithdrawals(repository, { subscribe: () => undefined } as unknown as ChangeFeed);
    await holder.reload();
    return holder;
  }

  function controller(nextChange: Date | null, withdrawals = noWithdrawals): MetadataController {
    const keyRing = { published: () => [], nextScheduledChange: () => nextChange } as unknown as TokenIssuerKeyRing;
    const oauthConfiguration = { cached: () => ({ serviceName: 'svc', realm: 'contoso.com' }) } as unknown as OAuthConfigurationService;
    const config = { publicUrl: 'https://s2s.contoso.com' } as AppConfig;
    const clock = { now: () => NOW } as Clock;
    const downloads = { record: (...download: unknown[]) => void recorded.push(download) } as unknown as MetadataDownloadLog;
    return new MetadataController(keyRing, withdrawals, oauthConfiguration, config, clock, downloads);
  }

  let noWithdrawals: TokenIssuerWithdrawals;
  beforeAll(async () => {
    noWithdrawals = await withdrawalsOf([]);
  });

  it('serves every document no-cache for 24 h after an emergency roll, then cacheable again', async () => {
    const hoursAgo = (hours: number): TokenIssuerWithdrawal => ({ thumbprint: 'AB'.repeat(20), withdrawnAt: new Date(NOW.getTime() - hours * 3_600_000), reason: 'leaked' });
    for (const [withdrawal, expected] of [
      [hoursAgo(1), 'no-cache'],
      [hoursAgo(23.9), 'no-cache'],
      [hoursAgo(24), 'public, max-age=42'],
    ] as const) {
      const { reply, sent } = fakeReply();
      controller(inMs(42_700), await withdrawalsOf([withdrawal])).jwks(request(), reply);
      expect([withdrawal.withdrawnAt.toISOString(), sent.headers['cache-control']]).toEqual([withdrawal.withdrawnAt.toISOString(), expected]);
    }
  });

  it('sends the JWKS with the cache-control of the next scheduled change and an ETag', () => {
    const { reply, sent } = fakeReply();
    controller(inMs(42_700)).jwks(request(), reply);
    expect(sent.status).toBe(200);
    expect(sent.headers['cache-control']).toBe('public, max-age=42');
    expect(sent.headers.etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(sent.contentType).toBe('application/json; charset=utf-8');
    expect(JSON.parse(sent.body!)).toEqual({ keys: [] });
  });

  it('answers 304 without a body when If-None-Match carries the current ETag', () => {
    const first = fakeReply();
    controller(null).metadata(request(), first.reply);
    expect(JSON.parse(first.sent.body!).issuer).toBe('svc@contoso.com');
    const etag = first.sent.headers.etag!;

    const second = fakeReply();
    controller(null).metadata(request({ 'if-none-match': etag, 'user-agent': 'Exchange' }), second.reply);
    expect(second.sent.status).toBe(304);
    expect(second.sent.body).toBeUndefined();
    expect(second.sent.headers).toEqual({ 'cache-control': 'public, max-age=300', etag });

    const third = fakeReply();
    controller(null).metadata(request({ 'if-none-match': '"stale"' }), third.reply);
    expect(third.sent.status).toBe(200);
    expect(third.sent.body).toBe(first.sent.body);
  });

  it('records every download, a 304 too, with its document, source address and user agent (rollover evidence)', () => {
    recorded.length = 0;
    controller(null).metadata(request({ 'user-agent': 'Exchange' }), fakeReply().reply);
    controller(null).jwks(request(), fakeReply().reply);
    controller(null).openIdConfiguration(request(), fakeReply().reply);
    controller(null).authorizationServerMetadata(request(), fakeReply().reply);
    expect(recorded).toEqual([
      ['metadata', '::ffff:10.0.0.5', 'Exchange'],
      ['jwks', '::ffff:10.0.0.5', undefined],
      ['discovery', '::ffff:10.0.0.5', undefined],
      ['discovery', '::ffff:10.0.0.5', undefined],
    ]);
  });
});
