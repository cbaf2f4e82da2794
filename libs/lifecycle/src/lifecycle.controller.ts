import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAdminErrors } from '@s2s/http';
import { ConnectivityTester } from './connectivity.tester.js';
import { ConnectivityReportDto, PartnerTestDto, TrustStatusDto } from './lifecycle.dto.js';
import { TrustStatusService } from './trust-status.service.js';

/**
 * Connectivity tests (`POST …/partner-applications/{identity}/test`, `POST …/oauth-servers/{identity}/test`)
 * and `GET /admin/v1/status`. A test changes nothing (no audit event); it is a POST because it does
 * work (downloads, mints and presents a token) and may be given options.
 */
@Controller('admin/v1')
@ApiAdminErrors()
@ApiBearerAuth()
@ApiTags('status')
export class LifecycleController {
  constructor(
    private readonly tester: ConnectivityTester,
    private readonly trustStatus: TrustStatusService,
  ) {}

  @Post('partner-applications/:identity/test')
  @HttpCode(200)
  @ApiAdminErrors(404)
  @ApiOperation({ summary: 'Test the trust with a partner step by step (Test-OAuthConnectivity): DNS, TLS, download, parse, issuer, keys, clock, tokens, probe' })
  @ApiOkResponse({ type: ConnectivityReportDto })
  async testPartner(@Param('identity') identity: string, @Body() body: PartnerTestDto): Promise<ConnectivityReportDto> {
    return ConnectivityReportDto.from(await this.tester.testPartner(identity, { ...(body.user === undefined ? {} : { user: body.user }), ...(body.probeUrl === undefined ? {} : { probeUrl: body.probeUrl }) }));
  }

  @Post('oauth-servers/:identity/test')
  @HttpCode(200)
  @ApiAdminErrors(404)
  @ApiOperation({ summary: 'Test an OAuth server step by step: DNS, TLS, download (and JWKS), parse, issuer, keys, clock' })
  @ApiOkResponse({ type: ConnectivityReportDto })
  async testOAuthServer(@Param('identity') identity: string): Promise<ConnectivityReportDto> {
    return ConnectivityReportDto.from(await this.tester.testOAuthServer(identity));
  }

  @Get('status')
  @ApiOperation({ summary: 'The state of the trust at a glance: identity, own metadata, token-issuer slots, partners, OAuth servers, expiring credentials, database, instances' })
  @ApiOkResponse({ type: TrustStatusDto })
  async status(): Promise<TrustStatusDto> {
    return TrustStatusDto.from(await this.trustStatus.status());
  }
}
