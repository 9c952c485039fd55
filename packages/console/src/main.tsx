/**
 * The airledger query console: GraphiQL (docs explorer and history included) with an API key
 * field whose value is sent as `Authorization: Bearer <key>`. The key stays in this page's
 * memory: it is not written to storage and goes only to this API. No request leaves for
 * another host (GraphiQL has no telemetry; Monaco's workers are bundled).
 */
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import './console.css';
import { StrictMode, useRef } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { Kind, parse } from 'graphql';
import { EXAMPLES } from './examples.js';

type Params = { query: string; operationName?: string | null; variables?: unknown };
type Options = { headers?: Record<string, unknown> };

const ENDPOINT = new URL('/graphql', window.location.href).toString();

/**
 * The operation to run. GraphiQL derives `operationName` from the editor a moment after a change,
 * so a Run right after switching tabs can carry the previous tab's name: a name the document does
 * not define is replaced by the document's only operation (or left to the server to refuse when
 * the document has several).
 */
function operationName(params: Params): string | null | undefined {
  let names: (string | undefined)[];
  try {
    names = parse(params.query).definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION ? [d.name?.value] : []));
  } catch {
    return params.operationName; // the server answers the syntax error
  }
  if (params.operationName && names.includes(params.operationName)) return params.operationName;
  return names.length === 1 ? (names[0] ?? null) : params.operationName;
}

function Console() {
  const key = useRef<HTMLInputElement>(null);
  const fetcher = async (params: Params, options?: Options) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    for (const [name, value] of Object.entries(options?.headers ?? {})) headers[name.toLowerCase()] = String(value);
    const secret = key.current?.value.trim();
    if (secret) headers.authorization = `Bearer ${secret}`;
    const response = await fetch(ENDPOINT, { method: 'POST', headers, body: JSON.stringify({ ...params, operationName: operationName(params) }), credentials: 'omit' });
    return response.json();
  };
  return (
    <div className="airledger-console">
      <header className="airledger-bar">
        <strong>airledger</strong>
        <label>
          API key
          <input ref={key} id="airledger-api-key" name="api-key" type="password" autoComplete="off" spellCheck={false} placeholder="airl_… (optional: public data needs none)" />
        </label>
        <span className="airledger-hint">sent as Authorization: Bearer …, kept in this tab only</span>
      </header>
      <div className="airledger-graphiql">
        <GraphiQL fetcher={fetcher} defaultTabs={EXAMPLES} shouldPersistHeaders={false} defaultEditorToolsVisibility="variables" />
      </div>
    </div>
  );
}

createRoot(document.getElementById('console')!).render(
  <StrictMode>
    <Console />
  </StrictMode>,
);
