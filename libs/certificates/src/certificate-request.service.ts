import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditLogService } from '@s2s/audit';
import { type AdminActor, Clock, ConflictError, InvalidInputError, isLowercaseGuid, NotFoundError, UnitOfWork } from '@s2s/core';
import { createCertificateSigningRequest, generateRsaKeyPair, privateKeyMatchesCertificate, type RsaModulusLength } from '@s2s/crypto';
import { OAuthConfigurationService } from '@s2s/oauth-configuration';
import { CertificateRejectedError } from './certificate-rejected.error.js';
import { CertificateRequestRepository } from './certificate.repository.js';
import { CertificateStoreService } from './certificate-store.service.js';
import { readIssuedCertificate } from './certificate-upload.reader.js';
import { type CertificateRequestInput, checkRealmsIncludeConfigured, requestSubject, validateRealmsAndNames } from './certificate-input.rules.js';
import { PrivateKeyVault } from './private-key.vault.js';
import type { CertificateRequest, StoredCertificate } from './stored-certificate.js';

/**
 * Certificate requests (`Request-CsCertificate -New -Output`): the service generates the key pair,
 * keeps the private key sealed, and hands out a PKCS#10 CSR whose SAN DNS names are the realms
 * (+ extra names). Completing the request with the CA-issued certificate stores it with that key;
 * a certificate for any other key is refused.
 */
@Injectable()
export class CertificateRequestService {
  constructor(
    private readonly requests: CertificateRequestRepository,
    private readonly store: CertificateStoreService,
    private readonly vault: PrivateKeyVault,
    private readonly unitOfWork: UnitOfWork,
    private readonly auditLog: AuditLogService,
    private readonly oauthConfiguration: OAuthConfigurationService,
    private readonly clock: Clock,
  ) {}

  async create(input: CertificateRequestInput, actor: AdminActor): Promise<CertificateRequest> {
    const dnsNames = validateRealmsAndNames(input.realms, input.dnsNames ?? []);
    checkRealmsIncludeConfigured(input.realms, this.oauthConfiguration.cached().realm);
    const subject = requestSubject(input.subject, input.realms[0]!);
    const keySizeBits = input.keySize ?? 2048;
    const keyPair = await generateRsaKeyPair(keySizeBits as RsaModulusLength);
    const csrPem = createCertificateSigningRequest({ privateKeyPem: keyPair.privateKeyPem, subject, dnsNames });
    const id = randomUUID();
    const request: CertificateRequest = {
      id,
      status: 'pending',
      subject,
      dnsNames,
      keySizeBits,
      csrPem,
      sealedPrivateKey: this.vault.seal(keyPair.privateKeyPem, PrivateKeyVault.requestContext(id)),
      createdAt: this.clock.now(),
      completedAt: null,
      certificateThumbprint: null,
    };
    await this.unitOfWork.run(async () => {
      await this.requests.insert(request);
      await this.auditLog.record({
        actor,
        action: 'certificate-request.create',
        targetType: 'certificate-request',
        targetId: id,
        after: { subject, dnsNames, keySizeBits },
      });
    });
    return request;
  }

  list(): Promise<CertificateRequest[]> {
    return this.requests.list();
  }

  async get(id: string): Promise<CertificateRequest> {
    if (!isLowercaseGuid(id.toLowerCase())) throw InvalidInputError.forField('id', 'must be a request id (UUID)');
    const request = await this.requests.find(id.toLowerCase());
    if (!request) throw new NotFoundError(`no certificate request with id ${id}`);
    return request;
  }

  /**
   * Attaches the CA-issued certificate: it must carry the request's public key and pass every rule
   * of the store. The request's key moves to the certificate; the request is marked completed.
   */
  async complete(id: string, upload: { certificate: string; chain?: string }, actor: AdminActor): Promise<StoredCertificate> {
    return this.unitOfWork.run(
      async () => {
        const request = await this.get(id);
        if (request.status !== 'pending' || !request.sealedPrivateKey) {
          throw new ConflictError(`certificate request ${request.id} is already completed (certificate ${request.certificateThumbprint ?? 'removed'})`, 'request_completed');
        }
        const { certificatePem, chainPems } = readIssuedCertificate(upload.certificate, upload.chain);
        const privateKeyPem = this.vault.openPem(request.sealedPrivateKey, PrivateKeyVault.requestContext(request.id));
        if (!privateKeyMatchesCertificate(privateKeyPem, certificatePem)) {
          throw new CertificateRejectedError(
            'private_key_mismatch',
            `the certificate does not carry the public key of request ${request.id}: it was issued for another key`,
            'certificate',
          );
        }
        const certificate = await this.store.store({ certificatePem, privateKeyPem, chainPems, source: 'request' }, actor, 'certificate.complete-request', {
          requestId: request.id,
        });
        await this.requests.update({
          ...request,
          status: 'completed',
          sealedPrivateKey: null,
          completedAt: this.clock.now(),
          certificateThumbprint: certificate.thumbprint,
        });
        return certificate;
      },
      { exclusiveLock: `certificate-request:${id}` },
    );
  }

  /** Discards a request and its pending key. */
  async remove(id: string, actor: AdminActor): Promise<CertificateRequest> {
    return this.unitOfWork.run(async () => {
      const request = await this.get(id);
      await this.requests.delete(request.id);
      await this.auditLog.record({
        actor,
        action: 'certificate-request.remove',
        targetType: 'certificate-request',
        targetId: request.id,
        before: { status: request.status, subject: request.subject, dnsNames: request.dnsNames },
      });
      return request;
    });
  }
}
