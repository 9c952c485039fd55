/**
 * The media type of a compiled answer, chosen from the request's `Accept` header as Apollo
 * chooses it for a single result (`chooseContentTypeForSingleResultResponse`): the same
 * candidates in the same order, negotiated the same way (`accepts`, on Apollo's `negotiator`), so
 * that a request gets the same content type whichever path answers it.
 *
 * - no header, or `application/json` preferred: `application/json; charset=utf-8`;
 * - `application/graphql-response+json` preferred (the SDK asks for it): that type. The GraphQL
 *   over HTTP spec's status codes for it are those of the compiled answers already: a response
 *   with a `data` entry, whether some of it is null or all of it (a statement timeout), is 200;
 *   request errors (no `data`: unreadable body, bad `airledger-read-after`) are 4xx and are
 *   answered by sendHttpError in the same negotiated type;
 * - Apollo's legacy callback type, or nothing acceptable: null, the request goes to Apollo (which
 *   answers the latter with 406).
 */
import accepts from 'accepts';

export const JSON_RESPONSE = 'application/json; charset=utf-8';
export const GRAPHQL_RESPONSE = 'application/graphql-response+json; charset=utf-8';
/** Apollo's third candidate: chosen only by clients asking for it by name; Apollo answers them. */
const CALLBACK = 'application/json; callbackSpec=1.0; charset=utf-8';
const CANDIDATES = [JSON_RESPONSE, GRAPHQL_RESPONSE, CALLBACK];

/** Headers seen recently and what they chose (clients send a few fixed headers); cleared when full. */
const chosen = new Map<string, string | null>();
const CHOSEN_MAX = 256;

/** The content type of a compiled answer for `accept`, or null when Apollo must answer the request. */
export function compiledMediaType(accept: string | undefined): string | null {
  if (!accept) return JSON_RESPONSE;
  let type = chosen.get(accept);
  if (type !== undefined) return type;
  const preferred = accepts({ headers: { accept } } as Parameters<typeof accepts>[0]).type(CANDIDATES);
  type = preferred === JSON_RESPONSE || preferred === GRAPHQL_RESPONSE ? preferred : null;
  if (chosen.size >= CHOSEN_MAX) chosen.clear();
  chosen.set(accept, type);
  return type;
}
