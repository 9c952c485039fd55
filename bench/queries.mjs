/**
 * The benchmark's queries, each in the words of every engine: this API (GraphQL), PostGraphile 4
 * (GraphQL over the same tables, with the simplify inflector and connection-filter), and the
 * hand-written reference (one SQL statement building the JSON). `normalise` turns each engine's
 * answer into one canonical shape, so that the answers are compared before anything is timed.
 */

const GRADES = `nodes { toGrade decidedAt }`;

/**
 * Caller classes, in the order of the table: who asks, and how each engine is told.
 * - anonymous: no key (public data only: enterprises, cities, grade changes, targets, attainment);
 * - national: a national READ_ONLY key (every city, personal data masked);
 * - province / city: a PROVINCE key of BENCH_PROVINCE, a CITY key of BENCH_CITY (their cities only);
 * - ministry: a MINISTRY key (every city, personal data in full).
 */
export const CALLER_CLASSES = ['anonymous', 'national', 'province', 'city', 'ministry'];
export const CALLER_LABELS = { anonymous: 'anonymous', national: 'national', province: 'PROVINCE', city: 'CITY', ministry: 'MINISTRY' };

/** The national caller (the default of buildQueries; the scripts that send one key use it). */
export const NATIONAL = { name: 'national', cityIds: null, enterpriseId: null, personalDataOf: () => false };

/**
 * The queries a caller asks, each in the words of every engine. `caller`: { name, cityIds (null:
 * every city), enterpriseId (Q3's enterprise: one within the caller's cities), personalDataOf(cityId)
 * (whether it sees personal data of that city's payments in full), paidCityId (Q6's city id) }.
 * A scoped caller's query means the same for every engine: its rows only (the API's scope,
 * PostGraphile's row-level security, the reference's `city_id = any($cities)`).
 */
export function buildQueries({ enterpriseId, province = 'hebei', city = 'tangshan', campaign = '2023-2024-autumn-winter', scale = 1, caller = NATIONAL } = {}) {
  const q1n = 50 * scale;
  const q2 = { cities: Math.min(56, 20 * scale), enterprises: 10 * scale, changes: 5 * scale };
  const q4n = 100 * scale;
  const q6n = 50 * scale;
  const statuses = ['IN_PROGRESS', 'COMPLETED'];
  const scoped = Array.isArray(caller.cityIds);
  /** The reference's statement for this caller: `<Q>.scoped` adds `city_id = any($cities)` (the last parameter). */
  const ref = (name, params, variant = '') => ({ name: `${name}${scoped ? '.scoped' : ''}${variant}`, params: scoped ? [...params, caller.cityIds] : params });
  const id3 = caller.enterpriseId ?? enterpriseId;
  const target5 = scoped ? 'VOCS_FACILITIES' : 'COAL_HOUSEHOLDS';
  // Q2 of a PROVINCE or CITY key: its own cities (the API lists every city; their enterprises are scoped).
  const cityFilter = { api: '', postgraphile: '' };
  if (caller.name === 'province') cityFilter.api = `, filter: { province: "${province}" }`;
  if (caller.name === 'city') cityFilter.api = `, filter: { city: "${city}" }`;
  if (caller.name === 'province') cityFilter.postgraphile = `, filter: { province: { slug: { equalTo: "${province}" } } }`;
  if (caller.name === 'city') cityFilter.postgraphile = `, filter: { slug: { equalTo: "${city}" } }`;
  const masked = caller.paidCityId !== undefined ? !caller.personalDataOf(caller.paidCityId) : true;
  const DISBURSEMENT = 'id amount approvedOn paidOn city { slug } program { code } householdName householdIdNumber';
  const ATTAINMENT = 'periodDays observedDays pm25Mean heavyPollutionDays pm25Target heavyDaysTarget pm25Met heavyDaysMet';
  const all = [
    {
      id: 'Q1',
      callers: ['anonymous', 'national', 'province', 'city'],
      title: `${q1n} enterprises with city and province`,
      api: `{ enterprises(first: ${q1n}) { nodes { id name creditCode industry currentGrade city { slug nameEn province { slug nameEn } } } } }`,
      postgraphile: `{ enterprises(first: ${q1n}, orderBy: [NAME_ASC, ID_ASC]) { nodes { id name creditCode industry currentGrade city { slug nameEn province { slug nameEn } } } } }`,
      reference: ref('Q1', [q1n]),
      pick: (data) => data.enterprises.nodes,
    },
    {
      id: 'Q2',
      callers: ['anonymous', 'national', 'province', 'city'],
      title: `${scoped ? `its cities (at most ${q2.cities})` : `${q2.cities} cities`} x ${q2.enterprises} enterprises x ${q2.changes} latest grade changes`,
      api: `{ cities(first: ${q2.cities}${cityFilter.api}) { nodes { slug enterprises(first: ${q2.enterprises}) { nodes { id name gradeChanges(first: ${q2.changes}) { ${GRADES} } } } } } }`,
      postgraphile: `{ cities(first: ${q2.cities}, orderBy: [PLAN_ORDER_ASC, ID_ASC]${cityFilter.postgraphile}) { nodes { slug enterprises(first: ${q2.enterprises}, orderBy: [NAME_ASC, ID_ASC]) { nodes { id name gradeChanges(first: ${q2.changes}, orderBy: [DECIDED_AT_DESC, ID_DESC]) { ${GRADES} } } } } } }`,
      reference: ref('Q2', [q2.cities, q2.enterprises, q2.changes]),
      pick: (data) => data.cities.nodes,
    },
    {
      id: 'Q3',
      callers: ['anonymous', 'national', 'province', 'city'],
      title: 'one enterprise by id',
      api: `{ enterprise(id: "${id3}") { id name creditCode industry size currentGrade ultraLowEmissionStatus city { slug nameEn } } }`,
      postgraphile: `{ enterprise(id: ${id3}) { id name creditCode industry size currentGrade ultraLowEmissionStatus city { slug nameEn } } }`,
      reference: ref('Q3', [id3]),
      pick: (data) => data.enterprise,
    },
    {
      id: 'Q4',
      // Retrofit projects are not public. For a CITY key, the province's projects are its city's.
      callers: ['national', 'province', 'city'],
      title: `${q4n} retrofit projects of a province by status, with enterprise and task target`,
      api: `{ retrofitProjects(first: ${q4n}, filter: { province: "${province}", statuses: [${statuses.join(', ')}] }) { nodes { id name status plannedEndDate investmentYuan city { slug } enterprise { id name } taskTarget { code nameEn } } } }`,
      postgraphile: `{ retrofitProjects(first: ${q4n}, orderBy: [CREATED_AT_DESC, ID_DESC], filter: { city: { province: { slug: { equalTo: "${province}" } } }, status: { in: [${statuses.map((s) => `"${s}"`).join(', ')}] } }) { nodes { id name status plannedEndDate investmentYuan city { slug } enterprise { id name } taskTarget { code nameEn } } } }`,
      reference: ref('Q4', [q4n, province, statuses]),
      pick: (data) => data.retrofitProjects.nodes,
    },
    {
      id: 'Q5',
      // Progress counts the projects the caller may read: a scoped caller's own cities. Hebei has no
      // projects of COAL_HOUSEHOLDS (nor a target with a breakdown): its callers ask for VOCS_FACILITIES
      // (counted in distinct enterprises).
      callers: ['anonymous', 'national', 'province', 'city'],
      title: scoped ? 'task target progress over its projects' : 'task target progress by province',
      api: `{ taskTarget(code: "${target5}") { code quantity progress { achieved percent met countedProjects } breakdown { quantity province { slug } progress { achieved percent met countedProjects } } } }`,
      // PostGraphile has no progress: it is computed by the API (and by the reference's SQL).
      postgraphile: null,
      reference: ref('Q5', [target5]),
      pick: (data) => data.taskTarget,
    },
    {
      id: 'Q6',
      // Personal data: in full for MINISTRY and the paying city's CITY key, masked for the others.
      callers: ['national', 'ministry', 'city'],
      title: `${q6n} disbursements of a city with program and household${masked ? ' (masked)' : ''}`,
      api: `{ disbursements(first: ${q6n}, filter: { city: "${city}" }) { nodes { ${DISBURSEMENT} } } }`,
      // PostGraphile has no masking: its household fields are compared only where they are shown in full.
      postgraphile: `{ disbursements(first: ${q6n}, orderBy: [ID_ASC], filter: { city: { slug: { equalTo: "${city}" } } }) { nodes { ${DISBURSEMENT.replace('amount', 'amount: amountYuan')} } } }`,
      postgraphileOmits: masked ? ['householdName', 'householdIdNumber'] : [],
      reference: ref('Q6', [q6n, city], masked ? '.masked' : ''),
      pick: (data) => data.disbursements.nodes,
    },
    {
      id: 'Q7',
      callers: ['anonymous', 'national', 'city'],
      title: `attainment of a city over the ${campaign.slice(0, 9)} campaign`,
      api: `{ city(slug: "${city}") { attainment(campaign: "${campaign}") { ${ATTAINMENT} } } }`,
      // PostGraphile has no attainment (API vs hand-written only).
      postgraphile: null,
      reference: ref('Q7', [city, campaign]),
      pick: (data) => data.city.attainment,
    },
  ];
  return withPostGraphile5(all.filter((q) => q.callers.includes(caller.name)).map((q) => ({ ...q, caller: caller.name })));
}

function withPostGraphile5(queries) {
  return queries.map((q) => ({ ...q, postgraphile5: toPostGraphile5(q.postgraphile) }));
}

/**
 * PostGraphile 5 (Amber preset) names the primary key `rowId` (and its orders ROW_ID_*): the same
 * query with `id: rowId` aliases, so that the answer has the v4 shape.
 */
export function toPostGraphile5(query) {
  if (!query) return null;
  return query
    .replace(/\(id: /g, '(rowId: ')
    .replace(/([{ ])id(?=[ }])/g, '$1id: rowId')
    .replace(/\bID_(ASC|DESC)\b/g, 'ROW_ID_$1');
}

const NUMERIC_KEYS = new Set(['investmentYuan', 'quantity', 'achieved', 'percent', 'amount', 'pm25Mean', 'pm25Target']);

/** Canonical form of an answer: ids as strings, instants as ISO strings, decimals as numbers. */
export function canonical(value, key) {
  if (Array.isArray(value)) return value.map((v) => canonical(v));
  if (value && typeof value === 'object') {
    const out = {};
    for (const k of Object.keys(value).sort()) out[k] = canonical(value[k], k);
    return out;
  }
  if (value === null || value === undefined) return null;
  if (key === 'id') return String(value);
  if (key === 'decidedAt') return new Date(value).toISOString();
  if (NUMERIC_KEYS.has(key)) return Number(value);
  return value;
}
