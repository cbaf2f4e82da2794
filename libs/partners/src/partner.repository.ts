import { TrustedIssuerRepository } from '@s2s/trusted-issuers';
import type { PartnerApplication } from './partner-application.js';

/** Storage port of partner applications (implemented by the persistence library); `find` is case-insensitive. */
export abstract class PartnerApplicationRepository extends TrustedIssuerRepository<PartnerApplication> {}
