/**
 * A form-encoded body, handed to the OAuth endpoints as text so they parse it themselves (and can
 * refuse a repeated parameter, which a generic parser would merge or drop).
 */
export class FormBody {
  constructor(readonly text: string) {}
}

/** The body of an OAuth endpoint request in a content type it does not accept (JSON, multipart…). */
export class UnsupportedBody {
  constructor(readonly contentType: string) {}
}
