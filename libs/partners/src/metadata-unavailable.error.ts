import { InvalidInputError } from '@s2s/core';
import { MetadataFetchError } from './metadata.fetcher.js';
import { PartnerMetadataError } from './partner-metadata.parser.js';

/** Identity of a partner application or OAuth server: `microsoft.exchange`, `microsoft.sts`. */
export const TRUSTED_ISSUER_IDENTITY = /^[a-z0-9][a-z0-9._-]{0,127}$/;

/**
 * Runs a metadata download + parse; a download or format failure becomes the 422
 * `metadata_unavailable` answer worded like `New-CsPartnerApplication`'s ("The metadata document
 * could not be downloaded … or downloaded data is not a valid metadata document").
 */
export async function downloadingMetadata<T>(download: () => Promise<T>): Promise<T> {
  try {
    return await download();
  } catch (error) {
    if (error instanceof MetadataFetchError || error instanceof PartnerMetadataError) {
      throw new InvalidInputError(
        `the metadata document could not be downloaded from the metadata URL or is not a valid metadata document: ${error.message}`,
        [{ field: 'metadataUrl', message: error.message }],
        'metadata_unavailable',
      );
    }
    throw error;
  }
}
