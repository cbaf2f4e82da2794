/** Why a downloaded metadata document, discovery document or JWKS was refused. */
export class MetadataDocumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MetadataDocumentError';
  }
}
