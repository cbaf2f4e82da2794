import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@s2s/admin-access';
import { TokenIssuerKeyRing, TokenIssuerWithdrawals } from '@s2s/certificates';
import { AppConfig } from '@s2s/config';
import { Clock } from '@s2s/core';
import { sha256Base64Url } from '@s2s/crypto';
import { OAuthConfigurationService } from '@s2s/oauth-configuration';
import { MetadataDownloadLog, type PublishedDocument } from '@s2s/rollover';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { buildDiscoveryDocument } from './discovery-document.builder.js';
import { buildJwks } from './jwks.builder.js';
import { buildMetadataDocument } from './metadata-document.builder.js';

/**
 * How long caches may keep a published document: 5 minutes, shortened so no cache outlives a
 * staged roll's effective date (then the key order changes). Admin changes reach caches within it.
 */
export const METADATA_MAX_AGE_SECONDS = 300;

/**
 * Anonymous, cacheable publishing (SPEC 5.3): the Microsoft JSON metadata document, RFC 8414 /
 * OIDC discovery, and the JWKS. Served from memory (key ring and cached configuration), with an
 * ETag so partners that poll get 304s.
 */
@ApiTags('metadata')
@Public()
@Controller()
export class MetadataController {
  constructor(
    private readonly keyRing: TokenIssuerKeyRing,
    private readonly withdrawals: TokenIssuerWithdrawals,
    private readonly oauthConfiguration: OAuthConfigurationService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly downloads: MetadataDownloadLog,
  ) {}

  @Get('metadata/json/1')
  @ApiOperation({ summary: 'Microsoft S2S JSON metadata document (current signing certificate first, then next, then previous)' })
  @ApiOkResponse({ description: 'The metadata document' })
  metadata(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    const now = this.clock.now();
    const { serviceName, realm } = this.oauthConfiguration.cached();
    const body = buildMetadataDocument({ serviceName, realm, publicUrl: this.config.publicUrl, keys: this.keyRing.published(now) });
    this.send(request, reply, body, now, 'metadata');
  }

  @Get('.well-known/openid-configuration')
  @ApiOperation({ summary: 'Discovery document (same content as oauth-authorization-server)' })
  openIdConfiguration(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    this.send(request, reply, buildDiscoveryDocument(this.config.publicUrl), this.clock.now(), 'discovery');
  }

  @Get('.well-known/oauth-authorization-server')
  @ApiOperation({ summary: 'Authorization server metadata (RFC 8414)' })
  authorizationServerMetadata(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    this.send(request, reply, buildDiscoveryDocument(this.config.publicUrl), this.clock.now(), 'discovery');
  }

  @Get('.well-known/jwks.json')
  @ApiOperation({ summary: 'JSON Web Key Set of the published token-issuer certificates' })
  jwks(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    const now = this.clock.now();
    this.send(request, reply, buildJwks(this.keyRing.published(now)), now, 'jwks');
  }

  private send(request: FastifyRequest, reply: FastifyReply, body: unknown, now: Date, document: PublishedDocument): void {
    // Rollover evidence: who downloaded what (in memory; a 304 counts, the client checked the document).
    this.downloads.record(document, request.socket.remoteAddress, request.headers['user-agent']);
    const json = JSON.stringify(body);
    const etag = `"${sha256Base64Url(json).slice(0, 27)}"`;
    // For 24 h after an emergency roll every document is no-cache, so partners refetch and drop the withdrawn key.
    const caching = this.withdrawals.noCacheAt(now) ? 'no-cache' : cacheControl(this.keyRing.nextScheduledChange(), now);
    void reply.header('cache-control', caching).header('etag', etag);
    if (request.headers['if-none-match'] === etag) {
      void reply.status(304).send();
      return;
    }
    void reply.type('application/json; charset=utf-8').send(json);
  }
}

/** `public, max-age=N`, N never reaching past the next scheduled key change. */
export function cacheControl(nextChange: Date | null, now: Date): string {
  let maxAge = METADATA_MAX_AGE_SECONDS;
  if (nextChange && nextChange > now) maxAge = Math.min(maxAge, Math.floor((nextChange.getTime() - now.getTime()) / 1000));
  return maxAge > 0 ? `public, max-age=${maxAge}` : 'no-cache';
}
