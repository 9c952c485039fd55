/** An HTTP answer: status, headers and the body (parsed JSON, or the text when it is not JSON). */
export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: any;
}

/** POSTs `body` as JSON to `url` (e.g. a GraphQL request) and reads the answer whatever it is. */
export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  let parsed: any = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, headers: res.headers, body: parsed };
}
