import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentActor } from '@s2s/admin-access';
import { type AdminActor, InvalidInputError } from '@s2s/core';
import { ApiAdminErrors } from '@s2s/http';
import type { ClientRegistration } from './client.js';
import {
  AddClientCertificateDto,
  AddClientSecretDto,
  ClientDto,
  ClientListDto,
  CreateClientDto,
  CreatedClientDto,
  CreatedClientSecretDto,
  RoleGrantDto,
  ScopeGrantDto,
  UpdateClientDto,
} from './client-registry.dto.js';
import { ClientService } from './client.service.js';
import { ResourceService } from './resource.service.js';

/** `/admin/v1/clients`: applications that obtain tokens, their credentials and grants (SPEC 5.7). */
@ApiTags('clients')
@ApiBearerAuth()
@ApiAdminErrors()
@Controller('admin/v1/clients')
export class ClientController {
  constructor(
    private readonly clients: ClientService,
    private readonly resources: ResourceService,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Register a client; its first secret is in this response only' })
  @ApiCreatedResponse({ type: CreatedClientDto })
  async create(@Body() body: CreateClientDto, @CurrentActor() actor: AdminActor): Promise<CreatedClientDto> {
    const { registration, issued } = await this.clients.create(
      { ...body, ...(body.secretExpiresAt ? { secretExpiresAt: new Date(body.secretExpiresAt) } : { secretExpiresAt: undefined }) },
      actor,
    );
    return { ...(await this.toDto(registration)), ...(issued ? { clientSecret: issued.value, clientSecretId: issued.secret.id } : {}) };
  }

  @Get()
  @ApiOperation({ summary: 'List clients (secrets only as hints)' })
  @ApiOkResponse({ type: ClientListDto })
  async list(): Promise<ClientListDto> {
    const appIdUriOf = await this.appIdUris();
    return { items: (await this.clients.list()).map((registration) => ClientDto.from(registration, appIdUriOf)) };
  }

  @Get(':clientId')
  @ApiAdminErrors(404)
  @ApiOkResponse({ type: ClientDto })
  async get(@Param('clientId') clientId: string): Promise<ClientDto> {
    return this.toDto(await this.clients.get(clientId));
  }

  @Patch(':clientId')
  @ApiAdminErrors(404)
  @ApiOperation({ summary: 'Change a client (only the fields given)' })
  @ApiOkResponse({ type: ClientDto })
  async update(@Param('clientId') clientId: string, @Body() body: UpdateClientDto, @CurrentActor() actor: AdminActor): Promise<ClientDto> {
    return this.toDto(await this.clients.update(clientId, body, actor));
  }

  @Delete(':clientId')
  @HttpCode(200)
  @ApiAdminErrors(404)
  @ApiOkResponse({ type: ClientDto })
  async remove(@Param('clientId') clientId: string, @CurrentActor() actor: AdminActor): Promise<ClientDto> {
    return this.toDto(await this.clients.remove(clientId, actor));
  }

  @Post(':clientId/secrets')
  @ApiAdminErrors(404)
  @ApiOperation({ summary: 'Add a secret (shown in this response only); older ones stay valid for rotation' })
  @ApiCreatedResponse({ type: CreatedClientSecretDto })
  async addSecret(@Param('clientId') clientId: string, @Body() body: AddClientSecretDto, @CurrentActor() actor: AdminActor): Promise<CreatedClientSecretDto> {
    const issued = await this.clients.addSecret(clientId, { description: body.description, ...(body.expiresAt ? { expiresAt: new Date(body.expiresAt) } : {}) }, actor);
    return CreatedClientSecretDto.from(issued);
  }

  @Delete(':clientId/secrets/:secretId')
  @HttpCode(200)
  @ApiAdminErrors(404)
  @ApiOkResponse({ type: ClientDto })
  async removeSecret(@Param('clientId') clientId: string, @Param('secretId') secretId: string, @CurrentActor() actor: AdminActor): Promise<ClientDto> {
    return this.toDto(await this.clients.removeSecret(clientId, secretId, actor));
  }

  @Post(':clientId/certificates')
  @ApiAdminErrors(404, 409)
  @ApiOperation({ summary: 'Register a certificate for private_key_jwt' })
  @ApiCreatedResponse({ type: ClientDto })
  async addCertificate(@Param('clientId') clientId: string, @Body() body: AddClientCertificateDto, @CurrentActor() actor: AdminActor): Promise<ClientDto> {
    return this.toDto(await this.clients.addCertificate(clientId, body.certificate, actor));
  }

  @Delete(':clientId/certificates/:thumbprint')
  @HttpCode(200)
  @ApiAdminErrors(404)
  @ApiOkResponse({ type: ClientDto })
  async removeCertificate(@Param('clientId') clientId: string, @Param('thumbprint') thumbprint: string, @CurrentActor() actor: AdminActor): Promise<ClientDto> {
    return this.toDto(await this.clients.removeCertificate(clientId, thumbprint, actor));
  }

  @Post(':clientId/role-grants')
  @ApiAdminErrors(404, 409)
  @ApiOperation({ summary: 'Grant an app role of a resource (admin consent)' })
  @ApiCreatedResponse({ type: ClientDto })
  async grantRole(@Param('clientId') clientId: string, @Body() body: RoleGrantDto, @CurrentActor() actor: AdminActor): Promise<ClientDto> {
    return this.toDto(await this.clients.grantRole(clientId, body.resource, body.role, actor));
  }

  @Delete(':clientId/role-grants')
  @HttpCode(200)
  @ApiAdminErrors(404)
  @ApiQuery({ name: 'resource', required: true })
  @ApiQuery({ name: 'role', required: true })
  @ApiOkResponse({ type: ClientDto })
  async revokeRole(
    @Param('clientId') clientId: string,
    @Query('resource') resource: unknown,
    @Query('role') role: unknown,
    @CurrentActor() actor: AdminActor,
  ): Promise<ClientDto> {
    return this.toDto(await this.clients.revokeRole(clientId, requiredQuery('resource', resource), requiredQuery('role', role), actor));
  }

  @Post(':clientId/scope-grants')
  @ApiAdminErrors(404, 409)
  @ApiOperation({ summary: 'Grant a delegated scope of a resource (admin consent)' })
  @ApiCreatedResponse({ type: ClientDto })
  async grantScope(@Param('clientId') clientId: string, @Body() body: ScopeGrantDto, @CurrentActor() actor: AdminActor): Promise<ClientDto> {
    return this.toDto(await this.clients.grantScope(clientId, body.resource, body.scope, actor));
  }

  @Delete(':clientId/scope-grants')
  @HttpCode(200)
  @ApiAdminErrors(404)
  @ApiQuery({ name: 'resource', required: true })
  @ApiQuery({ name: 'scope', required: true })
  @ApiOkResponse({ type: ClientDto })
  async revokeScope(
    @Param('clientId') clientId: string,
    @Query('resource') resource: unknown,
    @Query('scope') scope: unknown,
    @CurrentActor() actor: AdminActor,
  ): Promise<ClientDto> {
    return this.toDto(await this.clients.revokeScope(clientId, requiredQuery('resource', resource), requiredQuery('scope', scope), actor));
  }

  private async toDto(registration: ClientRegistration): Promise<ClientDto> {
    return ClientDto.from(registration, await this.appIdUris());
  }

  private async appIdUris(): Promise<(resourceId: string) => string> {
    const byId = new Map((await this.resources.list()).map((resource) => [resource.id, resource.appIdUri]));
    return (resourceId) => byId.get(resourceId) ?? resourceId;
  }
}

function requiredQuery(name: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') throw InvalidInputError.forField(name, 'is required (once) as a query parameter');
  return value;
}
