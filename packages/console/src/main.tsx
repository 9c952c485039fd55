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
import { EXAMPLES } from './examples.js';

type Params = { query: string; operationName?: string | null; variables?: unknown };
type Options = { headers?: Record<string, unknown> };

const ENDPOINT = new URL('/graphql', window.location.href).toString();

function Console() {
  const key = useRef<HTMLInputElement>(null);
  const fetcher = async (params: Params, options?: Options) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    for (const [name, value] of Object.entries(options?.headers ?? {})) headers[name.toLowerCase()] = String(value);
    const secret = key.current?.value.trim();
    if (secret) headers.authorization = `Bearer ${secret}`;
    const response = await fetch(ENDPOINT, { method: 'POST', headers, body: JSON.stringify(params), credentials: 'omit' });
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
