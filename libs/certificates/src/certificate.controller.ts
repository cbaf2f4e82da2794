import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor } from '@s2s/admin-access';
import { type AdminActor, Clock, InvalidInputError } from '@s2s/core';
import { ApiAdminErrors } from '@s2s/http';
import { CertificateDto, CertificateListDto, CreateSelfSignedCertificateDto, ImportCertificateDto } from './certificate.dto.js';
import { type CertificateImport, CertificateStoreService } from './certificate-store.service.js';

/** `/admin/v1/certificates`: the certificate store (SPEC 5.2, 5.7). */
@ApiTags('certificates')
@ApiBearerAuth()
@ApiAdminErrors()
@Controller('admin/v1/certificates')
export class CertificateController {
  constructor(
    private readonly store: CertificateStoreService,
    private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List stored certificates with their token-issuer slot' })
  @ApiOkResponse({ type: CertificateListDto })
  async list(): Promise<CertificateListDto> {
    const now = this.clock.now();
    return { items: (await this.store.list()).map((view) => CertificateDto.from(view, now)) };
  }

  @Post()
  @ApiAdminErrors(409)
  @ApiOperation({ summary: 'Import a certificate with its private key: a PFX + password, or PEM certificate + key (+ chain)' })
  @ApiCreatedResponse({ type: CertificateDto })
  async import(@Body() body: ImportCertificateDto, @CurrentActor() actor: AdminActor): Promise<CertificateDto> {
    return CertificateDto.from(await this.store.import(toImport(body), actor), this.clock.now(), { withPem: true });
  }

  @Post('self-signed')
  @ApiAdminErrors(409)
  @ApiOperation({ summary: 'Create a self-signed certificate whose SANs are the realms (labs)' })
  @ApiCreatedResponse({ type: CertificateDto })
  async createSelfSigned(@Body() body: CreateSelfSignedCertificateDto, @CurrentActor() actor: AdminActor): Promise<CertificateDto> {
    return CertificateDto.from(await this.store.createSelfSigned(body, actor), this.clock.now(), { withPem: true });
  }

  @Get(':thumbprint')
  @ApiAdminErrors(404)
  @ApiOperation({ summary: 'Show a certificate (SHA-1 or SHA-256 thumbprint, any case, spaces/colons allowed)' })
  @ApiOkResponse({ type: CertificateDto })
  async get(@Param('thumbprint') thumbprint: string): Promise<CertificateDto> {
    return CertificateDto.from(await this.store.get(thumbprint), this.clock.now(), { withPem: true });
  }

  @Delete(':thumbprint')
  @HttpCode(200)
  @ApiAdminErrors(404, 409)
  @ApiOperation({ summary: 'Remove a certificate and its key (refused while it holds a token-issuer slot)' })
  @ApiOkResponse({ type: CertificateDto })
  async remove(@Param('thumbprint') thumbprint: string, @CurrentActor() actor: AdminActor): Promise<CertificateDto> {
    return CertificateDto.from({ certificate: await this.store.remove(thumbprint, actor), slot: null }, this.clock.now());
  }
}

/** Exactly one of the two import forms. */
function toImport(body: ImportCertificateDto): CertificateImport {
  if (body.pfx !== undefined) {
    if (body.certificate !== undefined || body.privateKey !== undefined || body.chain !== undefined) {
      throw InvalidInputError.forField('pfx', 'give either pfx (+ password) or certificate + privateKey (+ chain), not both');
    }
    if (body.password === undefined) throw InvalidInputError.forField('password', 'the PFX password is required (it may be empty)');
    return { kind: 'pfx', pfxBase64: body.pfx, password: body.password };
  }
  if (body.certificate === undefined) throw InvalidInputError.forField('certificate', 'give either pfx (+ password) or certificate + privateKey');
  if (body.password !== undefined) throw InvalidInputError.forField('password', 'a password is only used with pfx');
  return { kind: 'pem', certificate: body.certificate, privateKey: body.privateKey, chain: body.chain };
}
