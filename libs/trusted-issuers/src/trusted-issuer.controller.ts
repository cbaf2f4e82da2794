import { applyDecorators, Controller, Delete, Get, HttpCode, Param, Post, type Type } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor } from '@s2s/admin-access';
import type { AdminActor } from '@s2s/core';
import { ApiAdminErrors } from '@s2s/http';

/** What the shared admin routes call on a kind's service (the registry's reads and removal, and the kind's refresh). */
export interface TrustedIssuerAdminService<R> {
  list(): Promise<R[]>;
  get(identity: string): Promise<R>;
  remove(identity: string, actor: AdminActor): Promise<R>;
  refresh(identity: string, actor: AdminActor): Promise<R>;
}

/** How a kind answers on the wire and what its refresh route documents. */
export interface TrustedIssuerRoutesOptions<R, D> {
  /** The response body of one issuer (explicitly mapped: no record is ever serialised). */
  dto: Type<D>;
  listDto: Type<{ items: D[] }>;
  toDto(record: R): D;
  refreshSummary: string;
  /** The statuses `refresh` may answer besides the common admin errors (404; 409 for a partner without a metadata URL). */
  refreshErrors: number[];
}

/** The class decorators of a kind's admin controller, `/admin/v1/<collection>` (SPEC 5.7). */
export function TrustedIssuerController(collection: string): ClassDecorator {
  // In the order stacked decorators apply (bottom first).
  return applyDecorators(Controller(`admin/v1/${collection}`), ApiAdminErrors(), ApiBearerAuth(), ApiTags(collection));
}

/**
 * The base of a kind's admin controller: `GET /`, `GET /{identity}`, `DELETE /{identity}` and
 * `POST /{identity}/refresh`, the same for every kind. The kind's controller adds `POST /` and
 * `PATCH /{identity}`, whose bodies are its own (Nest and the OpenAPI document list them first).
 */
export function trustedIssuerRoutes<R, D>(options: TrustedIssuerRoutesOptions<R, D>) {
  abstract class TrustedIssuerRoutes {
    constructor(protected readonly issuers: TrustedIssuerAdminService<R>) {}

    @Get()
    @ApiOkResponse({ type: options.listDto })
    async list(): Promise<{ items: D[] }> {
      return { items: (await this.issuers.list()).map((record) => options.toDto(record)) };
    }

    @Get(':identity')
    @ApiAdminErrors(404)
    @ApiOkResponse({ type: options.dto })
    async get(@Param('identity') identity: string): Promise<D> {
      return options.toDto(await this.issuers.get(identity));
    }

    @Delete(':identity')
    @HttpCode(200)
    @ApiAdminErrors(404)
    @ApiOkResponse({ type: options.dto })
    async remove(@Param('identity') identity: string, @CurrentActor() actor: AdminActor): Promise<D> {
      return options.toDto(await this.issuers.remove(identity, actor));
    }

    @Post(':identity/refresh')
    @HttpCode(200)
    @ApiAdminErrors(...options.refreshErrors)
    @ApiOperation({ summary: options.refreshSummary })
    @ApiOkResponse({ type: options.dto })
    async refresh(@Param('identity') identity: string, @CurrentActor() actor: AdminActor): Promise<D> {
      return options.toDto(await this.issuers.refresh(identity, actor));
    }
  }
  return TrustedIssuerRoutes;
}
