/**
 * Downloads of the API's exports: GET <api>/exports/<name>.csv|.xlsx, with the same filters as the
 * GraphQL queries. The core is platform-neutral (fetch and web streams: browsers, Node 20+, Deno,
 * Bun); only `saveExportToFile` needs Node and loads node:fs when called.
 *
 * ```ts
 * const res = await downloadExport({ url, token }, 'enterprises', 'csv', { filter: { province: 'hebei' } });
 * await saveExportToFile({ url, token }, 'report', 'xlsx', { input: { subject: ReportSubject.ENTERPRISES, dimensions: [], measures: [{ measure: ReportMeasure.COUNT }] } }, 'report.xlsx');
 * ```
 */
import type {
  AirQualityObservationFilter,
  ApiKeyFilter,
  AuditEventFilter,
  AirQualityObservationOrder,
  CityFilter,
  CityOrder,
  DisbursementFilter,
  DisbursementOrder,
  EnterpriseFilter,
  EnterpriseOrder,
  GradeChangeFilter,
  OutcomeTargetFilter,
  OutcomeTargetOrder,
  PlaceFilter,
  RankingOrder,
  ReportInput,
  RetrofitProjectFilter,
  RetrofitProjectOrder,
  ScorecardLevel,
  SubsidyProgramFilter,
  TaskTargetFilter,
  TaskTargetOrder,
  WarningFilter,
  WarningOrder,
  ForecastFilter,
  ForecastOrder,
  RegionalLinkageFilter,
  RegionalLinkageOrder,
  ReductionListEntryFilter,
  ReductionListEntryOrder,
  MeasureCheckFilter,
  MeasureCheckOrder,
} from './__generated__/graphql.js';
import { errorFromResponse, NetworkError, type GraphQLErrorShape } from './errors.js';

/** The parameters of each export: `filter` / `orderBy` as the GraphQL list takes them, `input` of the reports. */
export interface ExportParams {
  enterprises: { filter?: EnterpriseFilter | null; orderBy?: EnterpriseOrder | null };
  'grade-changes': { filter?: GradeChangeFilter | null };
  'retrofit-projects': { filter?: RetrofitProjectFilter | null; orderBy?: RetrofitProjectOrder | null };
  disbursements: { filter?: DisbursementFilter | null; orderBy?: DisbursementOrder | null };
  'air-quality-observations': { filter?: AirQualityObservationFilter | null; orderBy?: AirQualityObservationOrder | null };
  'task-targets': { filter?: TaskTargetFilter | null; orderBy?: TaskTargetOrder | null };
  cities: { filter?: CityFilter | null; orderBy?: CityOrder | null };
  provinces: Record<string, never>;
  regions: Record<string, never>;
  campaigns: Record<string, never>;
  'outcome-targets': { filter?: OutcomeTargetFilter | null; orderBy?: OutcomeTargetOrder | null };
  'subsidy-programs': { filter?: SubsidyProgramFilter | null };
  'audit-events': { filter?: AuditEventFilter | null };
  'api-keys': { filter?: ApiKeyFilter | null };
  warnings: { filter?: WarningFilter | null; orderBy?: WarningOrder | null };
  forecasts: { filter?: ForecastFilter | null; orderBy?: ForecastOrder | null };
  'regional-linkages': { filter?: RegionalLinkageFilter | null; orderBy?: RegionalLinkageOrder | null };
  'reduction-list-entries': { filter?: ReductionListEntryFilter | null; orderBy?: ReductionListEntryOrder | null };
  'measure-checks': { filter?: MeasureCheckFilter | null; orderBy?: MeasureCheckOrder | null };
  report: { input: ReportInput };
  'campaign-scorecards': { input: { level: ScorecardLevel; campaign?: string | null; filter?: PlaceFilter | null } };
  'monthly-pm25-ranking': { input: { month: string; order?: RankingOrder | null; filter?: PlaceFilter | null } };
}

/** Name of an export (a list or a report). */
export type ExportName = keyof ExportParams;

/** File format of an export: CSV (UTF-8 with a byte order mark) or xlsx. */
export type ExportFormat = 'csv' | 'xlsx';

/** The fetch the download uses: `globalThis.fetch` or any function with its signature. */
export type ExportFetch = (input: string, init: { method: 'GET'; headers: Record<string, string>; signal?: AbortSignal }) => Promise<Response>;

/** Where and as whom to download. */
export interface ExportOptions {
  /** GraphQL endpoint of the API, as for createClient, e.g. `https://airledger.example.org/graphql`; exports are beside it. */
  url: string;
  /** API token, sent as `Authorization: Bearer <token>`. Default: none (anonymous). */
  token?: string;
  /** Extra headers. Default: none. */
  headers?: Record<string, string>;
  /** Fetch implementation. Default: `globalThis.fetch`. */
  fetch?: ExportFetch;
  /** Aborts the download. */
  signal?: AbortSignal;
}

/** The URL of an export: `exports/<name>.<format>` beside the GraphQL endpoint, parameters as JSON. */
export function exportUrl<N extends ExportName>(options: Pick<ExportOptions, 'url'>, name: N, format: ExportFormat, params?: ExportParams[N]): string {
  const url = new URL(`exports/${name}.${format}`, options.url);
  for (const [key, value] of Object.entries(params ?? {})) {
    if (value !== undefined && value !== null) url.searchParams.set(key, JSON.stringify(value));
  }
  return url.toString();
}

/**
 * Starts an export download and returns the Response once the server has accepted it (status
 * 200): read `response.body` as a ReadableStream, or `arrayBuffer()` for small files. Problems
 * the server reports before the first byte (bad filter, unknown place, bad key) throw the SDK's
 * typed errors (ValidationError, NotFoundError, AuthenticationError...).
 */
export async function downloadExport<N extends ExportName>(options: ExportOptions, name: N, format: ExportFormat, params?: ExportParams[N]): Promise<Response> {
  const fetchFn = options.fetch ?? (globalThis.fetch as ExportFetch | undefined);
  if (!fetchFn) throw new NetworkError('No fetch implementation: pass options.fetch.', {});
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let response: Response;
  try {
    response = await fetchFn(exportUrl(options, name, format, params), { method: 'GET', headers, signal: options.signal });
  } catch (error) {
    throw new NetworkError(`Export ${name}.${format} failed: ${(error as Error).message}`, { cause: error });
  }
  if (response.ok) return response;
  let errors: GraphQLErrorShape[] = [];
  const text = await response.text();
  try {
    errors = (JSON.parse(text) as { errors?: GraphQLErrorShape[] }).errors ?? [];
  } catch {
    /* not JSON: the status decides */
  }
  throw errorFromResponse({
    status: response.status,
    errors,
    operationName: `${name}.${format}`,
    retryAfterHeader: response.headers.get('retry-after'),
    fallbackMessage: `Export ${name}.${format} failed with HTTP ${response.status}.`,
  });
}

/** The body of an export as a web ReadableStream of bytes. */
export async function exportStream<N extends ExportName>(options: ExportOptions, name: N, format: ExportFormat, params?: ExportParams[N]): Promise<ReadableStream<Uint8Array>> {
  const response = await downloadExport(options, name, format, params);
  if (!response.body) throw new NetworkError(`Export ${name}.${format} has no body.`, {});
  return response.body;
}

/** The parts of node:fs and node:stream saveExportToFile uses (the SDK compiles without Node's types). */
interface NodeFs {
  createWriteStream(path: string): unknown;
}
interface NodeStream {
  Readable: { fromWeb(stream: ReadableStream<Uint8Array>): { on(event: 'data', listener: (chunk: Uint8Array) => void): unknown } };
}
interface NodeStreamPromises {
  pipeline(...streams: unknown[]): Promise<void>;
}

/**
 * Node only: downloads an export into a file, streaming (memory stays flat whatever the size).
 * Returns the number of bytes written. node:fs is loaded when called, so bundles for browsers
 * that never call it do not need it.
 */
export async function saveExportToFile<N extends ExportName>(options: ExportOptions, name: N, format: ExportFormat, params: ExportParams[N] | undefined, path: string): Promise<{ bytes: number }> {
  const body = await exportStream(options, name, format, params);
  const specifier = (m: string) => `node:${m}`;
  const fs = (await import(/* @vite-ignore */ specifier('fs'))) as NodeFs;
  const { Readable } = (await import(/* @vite-ignore */ specifier('stream'))) as NodeStream;
  const { pipeline } = (await import(/* @vite-ignore */ specifier('stream/promises'))) as NodeStreamPromises;
  let bytes = 0;
  const counted = Readable.fromWeb(body).on('data', (chunk: Uint8Array) => {
    bytes += chunk.length;
  });
  await pipeline(counted, fs.createWriteStream(path));
  return { bytes };
}
