import { Injectable } from '@nestjs/common';
import { AuditLogService } from '@s2s/audit';
import { type AdminActor, Clock, ConflictError, InvalidInputError, NotFoundError, UnitOfWork } from '@s2s/core';
import {
  certificateThumbprints,
  createSelfSignedCertificate,
  describeCertificate,
  generateRsaKeyPair,
  InvalidThumbprintError,
  normalizeThumbprint,
  privateKeyMatchesCertificate,
  readCertificates,
  type RsaModulusLength,
} from '@s2s/crypto';
import { OAuthConfigurationService } from '@s2s/oauth-configuration';
import { checkCertificateUsable, checkRealmCovered } from './certificate-acceptance.rules.js';
import { CertificateRejectedError } from './certificate-rejected.error.js';
import { CertificateRepository, TokenIssuerAssignmentRepository } from './certificate.repository.js';
import { type CertificateMaterial, readPemUpload, readPfxUpload } from './certificate-upload.reader.js';
import { PrivateKeyVault } from './private-key.vault.js';
import { type SelfSignedCertificateInput, selfSignedSubject, validateRealmsAndNames, validityDays } from './certificate-input.rules.js';
import type { StoredCertificate } from './stored-certificate.js';
import { type AssignmentSlot, settleAssignment, slotOf } from './token-issuer-assignment.js';

/** A stored certificate and the token-issuer slot it holds now. */
export interface CertificateView {
  certificate: StoredCertificate;
  slot: AssignmentSlot | null;
}

/** What an import carries: a PFX with its password, or a PEM certificate with its key. */
export type CertificateImport =
  | { kind: 'pfx'; pfxBase64: string; password: string }
  | { kind: 'pem'; certificate: string; privateKey?: string; chain?: string };

/**
 * The certificate store (SPEC 5.2): import (PFX or PEM), self-signed certificates for labs, list,
 * show, remove. Every certificate is checked before anything is stored (validity period, RSA ≥ 2048,
 * key matches, SANs cover the configured realm); its private key is sealed under the master key.
 */
@Injectable()
export class CertificateStoreService {
  constructor(
    private readonly certificates: CertificateRepository,
    private readonly assignments: TokenIssuerAssignmentRepository,
    private readonly vault: PrivateKeyVault,
    private readonly unitOfWork: UnitOfWork,
    private readonly auditLog: AuditLogService,
    private readonly oauthConfiguration: OAuthConfigurationService,
    private readonly clock: Clock,
  ) {}

  async list(): Promise<CertificateView[]> {
    const [certificates, stored] = await Promise.all([this.certificates.list(), this.assignments.find()]);
    const assignment = settleAssignment(stored, this.clock.now());
    return certificates.map((certificate) => ({ certificate, slot: slotOf(assignment, certificate.thumbprint) }));
  }

  /** @param thumbprint - SHA-1 or SHA-256 hex in any case, with or without spaces or colons. */
  async get(thumbprint: string): Promise<CertificateView> {
    const certificate = await this.require(thumbprint);
    const assignment = settleAssignment(await this.assignments.find(), this.clock.now());
    return { certificate, slot: slotOf(assignment, certificate.thumbprint) };
  }

  /** `Import-CsCertificate`: a PFX with password, or a PEM certificate + key (+ chain). */
  async import(upload: CertificateImport, actor: AdminActor): Promise<CertificateView> {
    const material = upload.kind === 'pfx' ? readPfxUpload(upload.pfxBase64, upload.password) : readPemUpload(upload.certificate, upload.privateKey, upload.chain);
    return { certificate: await this.store(material, actor, 'certificate.import'), slot: null };
  }

  /** A self-signed certificate whose SANs are the realms (+ extra names), for labs. */
  async createSelfSigned(input: SelfSignedCertificateInput, actor: AdminActor): Promise<CertificateView> {
    const dnsNames = validateRealmsAndNames(input.realms, input.dnsNames ?? []);
    const subject = selfSignedSubject(input.subject, input.realms[0]!);
    const days = validityDays(input.days);
    const keyPair = await generateRsaKeyPair((input.keySize ?? 2048) as RsaModulusLength);
    const certificatePem = createSelfSignedCertificate({
      privateKeyPem: keyPair.privateKeyPem,
      subject,
      dnsNames,
      // Backdated a little so partners with a slightly slow clock accept tokens at once.
      notBefore: new Date(this.clock.now().getTime() - 5 * 60_000),
      validityDays: days,
      extendedKeyUsage: ['serverAuth', 'clientAuth'],
      keyUsage: ['digitalSignature', 'keyEncipherment'],
    });
    const material: CertificateMaterial = { certificatePem, privateKeyPem: keyPair.privateKeyPem, chainPems: [], source: 'self-signed' };
    return { certificate: await this.store(material, actor, 'certificate.create-self-signed'), slot: null };
  }

  /** Removes a certificate; refused while it holds a token-issuer slot. */
  async remove(thumbprint: string, actor: AdminActor): Promise<StoredCertificate> {
    return this.unitOfWork.run(
      async () => {
        const certificate = await this.require(thumbprint);
        const slot = slotOf(settleAssignment(await this.assignments.find(), this.clock.now()), certificate.thumbprint);
        if (slot) {
          const hint = slot === 'previous' ? ' (remove it from the slot with: s2sctl certificate remove --type OAuthTokenIssuer --previous)' : '';
          throw new ConflictError(`certificate ${certificate.thumbprint} is the ${slot} OAuth token-issuer certificate${hint}`, 'certificate_assigned');
        }
        await this.certificates.delete(certificate.thumbprint);
        await this.auditLog.record({
          actor,
          action: 'certificate.remove',
          targetType: 'certificate',
          targetId: certificate.thumbprint,
          before: auditSnapshot(certificate),
        });
        return certificate;
      },
      { exclusiveLock: 'token-issuer-assignment' },
    );
  }

  /**
   * Checks `material` against every rule and stores it with its sealed key and an audit event.
   * Nothing is stored when a rule fails. Used by import, self-signed and request completion.
   */
  async store(material: CertificateMaterial, actor: AdminActor, action: string, extra: Record<string, unknown> = {}): Promise<StoredCertificate> {
    const description = describeCertificate(material.certificatePem);
    checkCertificateUsable(description, this.clock.now());
    if (!privateKeyMatchesCertificate(material.privateKeyPem, material.certificatePem)) {
      throw new CertificateRejectedError('private_key_mismatch', 'the private key does not belong to the certificate', 'privateKey');
    }
    const realm = this.oauthConfiguration.cached().realm;
    if (realm) checkRealmCovered(description.dnsNames, realm);
    const thumbprints = certificateThumbprints(material.certificatePem);
    const certificate: StoredCertificate = {
      thumbprint: thumbprints.sha1Hex,
      thumbprintSha256: thumbprints.sha256Hex,
      // Canonical PEM (LF line ends), whatever produced it.
      certificatePem: readCertificates(material.certificatePem)[0]!,
      chainPems: material.chainPems,
      subject: description.subject,
      issuer: description.issuer,
      serialNumber: description.serialNumberHex,
      dnsNames: description.dnsNames.map((name) => name.toLowerCase()),
      notBefore: description.notBefore,
      notAfter: description.notAfter,
      keyAlgorithm: description.publicKeyAlgorithm,
      keySizeBits: description.keySizeBits ?? 0,
      source: material.source,
      sealedPrivateKey: this.vault.seal(material.privateKeyPem, PrivateKeyVault.certificateContext(thumbprints.sha256Hex)),
      createdAt: this.clock.now(),
    };
    return this.unitOfWork.run(async () => {
      if (await this.certificates.find(certificate.thumbprint)) {
        throw new ConflictError(`a certificate with thumbprint ${certificate.thumbprint} is already stored`, 'certificate_exists');
      }
      await this.certificates.insert(certificate);
      await this.auditLog.record({
        actor,
        action,
        targetType: 'certificate',
        targetId: certificate.thumbprint,
        after: { ...auditSnapshot(certificate), ...extra },
      });
      return certificate;
    });
  }

  /** The certificate with this thumbprint, or a 404; a malformed thumbprint is a 422. */
  async require(thumbprint: string): Promise<StoredCertificate> {
    const normalized = parseThumbprint(thumbprint);
    const certificate = await this.certificates.find(normalized);
    if (!certificate) throw new NotFoundError(`no certificate with thumbprint ${normalized} is stored`);
    return certificate;
  }
}

/** Normalizes an admin-typed thumbprint; a malformed one is a 422 naming the field. */
export function parseThumbprint(input: string): string {
  try {
    return normalizeThumbprint(input);
  } catch (error) {
    if (error instanceof InvalidThumbprintError) throw InvalidInputError.forField('thumbprint', error.message);
    throw error;
  }
}

/** What the audit log keeps of a certificate: identity and validity, never key material. */
export function auditSnapshot(certificate: StoredCertificate): Record<string, unknown> {
  return {
    thumbprint: certificate.thumbprint,
    thumbprintSha256: certificate.thumbprintSha256,
    subject: certificate.subject,
    issuer: certificate.issuer,
    serialNumber: certificate.serialNumber,
    dnsNames: certificate.dnsNames,
    notBefore: certificate.notBefore.toISOString(),
    notAfter: certificate.notAfter.toISOString(),
    keySizeBits: certificate.keySizeBits,
    source: certificate.source,
  };
}
