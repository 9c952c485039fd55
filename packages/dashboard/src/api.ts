/**
 * The API as the page uses it: the SDK's client on this origin's /graphql with the API key the
 * user entered (kept in sessionStorage: gone when the tab closes).
 */
import { createClient, type AirledgerClient } from '@airledger/sdk';

const KEY = 'airledger.dashboard.apiKey';

/** GraphQL endpoint of the API serving the page. */
export const API_URL = new URL('/graphql', location.href).toString();

export function storedKey(): string | undefined {
  try {
    return sessionStorage.getItem(KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

export function storeKey(token: string | undefined): void {
  if (token) sessionStorage.setItem(KEY, token);
  else sessionStorage.removeItem(KEY);
}

/** A client of the API as the stored key (anonymous without one). */
export function client(): AirledgerClient {
  return createClient({ url: API_URL, token: storedKey(), retries: 1 });
}
