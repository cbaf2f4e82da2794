import { InvalidInputError } from '@s2s/core';
import { MetadataDocumentError } from './metadata-document.error.js';
import { MetadataFetchError } from './metadata.fetcher.js';

/**
 * Runs a metadata download + parse; a download or format failure becomes the 422
 * `metadata_unavailable` answer worded like `New-CsPartnerApplication`'s ("The metadata document
 * could not be downloaded … or downloaded data is not a valid metadata document").
 */
export async function downloadingMetadata<T>(download: () => Promise<T>): Promise<T> {
  try {
    return await download();
  } catch (error) {
    if (error instanceof MetadataFetchError || error instanceof MetadataDocumentError) {
      throw new InvalidInputError(
        `the metadata document could not be downloaded from the metadata URL or is not a valid metadata document: ${error.message}`,
        [{ field: 'metadataUrl', message: error.message }],
        'metadata_unavailable',
      );
    }
    throw error;
  }
}
