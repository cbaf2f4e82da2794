import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor } from '@s2s/admin-access';
import { type AdminActor, Clock } from '@s2s/core';
import { ApiAdminErrors } from '@s2s/http';
import { CertificateDto, CertificateRequestDto, CertificateRequestListDto, CompleteCertificateRequestDto, CreateCertificateRequestDto } from './certificate.dto.js';
import { CertificateRequestService } from './certificate-request.service.js';

/** `/admin/v1/certificate-requests`: CSRs for a CA, and their completion (SPEC 5.2). */
@ApiTags('certificates')
@ApiBearerAuth()
@ApiAdminErrors()
@Controller('admin/v1/certificate-requests')
export class CertificateRequestController {
  constructor(
    private readonly requests: CertificateRequestService,
    private readonly clock: Clock,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Generate a key pair and return a PKCS#10 CSR whose SAN DNS names are the realms (+ extra names)' })
  @ApiCreatedResponse({ type: CertificateRequestDto })
  async create(@Body() body: CreateCertificateRequestDto, @CurrentActor() actor: AdminActor): Promise<CertificateRequestDto> {
    return CertificateRequestDto.from(await this.requests.create(body, actor));
  }

  @Get()
  @ApiOperation({ summary: 'List certificate requests' })
  @ApiOkResponse({ type: CertificateRequestListDto })
  async list(): Promise<CertificateRequestListDto> {
    return { items: (await this.requests.list()).map((request) => CertificateRequestDto.from(request)) };
  }

  @Get(':id')
  @ApiAdminErrors(404)
  @ApiOperation({ summary: 'Show a certificate request and its CSR' })
  @ApiOkResponse({ type: CertificateRequestDto })
  async get(@Param('id') id: string): Promise<CertificateRequestDto> {
    return CertificateRequestDto.from(await this.requests.get(id));
  }

  @Post(':id/complete')
  @ApiAdminErrors(404, 409)
  @ApiOperation({ summary: 'Attach the CA-issued certificate (must carry the request key)' })
  @ApiCreatedResponse({ type: CertificateDto })
  async complete(@Param('id') id: string, @Body() body: CompleteCertificateRequestDto, @CurrentActor() actor: AdminActor): Promise<CertificateDto> {
    const certificate = await this.requests.complete(id, body, actor);
    return CertificateDto.from({ certificate, slot: null }, this.clock.now(), { withPem: true });
  }

  @Delete(':id')
  @HttpCode(200)
  @ApiAdminErrors(404)
  @ApiOperation({ summary: 'Discard a certificate request and its pending key' })
  @ApiOkResponse({ type: CertificateRequestDto })
  async remove(@Param('id') id: string, @CurrentActor() actor: AdminActor): Promise<CertificateRequestDto> {
    return CertificateRequestDto.from(await this.requests.remove(id, actor));
  }
}
