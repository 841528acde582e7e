// The one reading of an `Authorization` header, shared by the REST hook and the WebSocket upgrade so a
// header one accepts is never refused by the other.
//
// RFC 7235 §2.1: credentials = auth-scheme [ 1*SP ( token68 / … ) ], and the scheme is
// case-insensitive. RFC 6750 §2.1 narrows the bearer credential to b64token (= token68):
// 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=".
// Only SP separates scheme and token: the grammar has no TAB there, and accepting one would be a
// leniency no client needs and another place for two parsers to disagree.

/**
 * A cheap bound before any lookup: our own tokens are 43 characters, an identity provider's JWT access
 * token a few hundred to a few thousand (Entra ID's run past 2,000).
 */
export const MAX_TOKEN_CHARS = 8192;

const BEARER_CREDENTIALS = /^bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

/**
 * The token of an `Authorization: Bearer <token>` header, or null when the header is missing,
 * repeated, of another scheme, or not shaped as RFC 6750 says.
 */
export function bearerToken(header: string | readonly string[] | undefined): string | null {
  if (typeof header !== 'string') return null;
  // Surrounding OWS is not part of the field value (RFC 9110 §5.5); node strips it already.
  const token = BEARER_CREDENTIALS.exec(header.trim())?.[1];
  return token !== undefined && token.length <= MAX_TOKEN_CHARS ? token : null;
}

/**
 * Null when `verify` can already decide on this Authorization header; otherwise a promise that settles
 * (never rejects) once the token's asynchronous verification is done and `verify` knows its answer.
 */
export function pendingVerification(
  sessions: { verify(token: string): unknown; authenticate?(token: string): Promise<unknown> },
  header: string | readonly string[] | undefined,
): Promise<unknown> | null {
  const token = bearerToken(header);
  if (token === null || !sessions.authenticate || sessions.verify(token)) return null;
  return sessions.authenticate(token).catch(() => null);
}
