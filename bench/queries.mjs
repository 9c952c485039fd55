/**
 * The benchmark's queries, each in the words of every engine: this API (GraphQL), PostGraphile 4
 * (GraphQL over the same tables, with the simplify inflector and connection-filter), and the
 * hand-written reference (one SQL statement building the JSON). `normalise` turns each engine's
 * answer into one canonical shape, so that the answers are compared before anything is timed.
 */

const GRADES = `nodes { toGrade decidedAt }`;

/** Page sizes: the timed ones, and larger ones for the statements-per-request check. */
export function buildQueries({ enterpriseId, province = 'hebei', scale = 1 } = {}) {
  const q1n = 50 * scale;
  const q2 = { cities: Math.min(56, 20 * scale), enterprises: 10 * scale, changes: 5 * scale };
  const q4n = 100 * scale;
  const statuses = ['IN_PROGRESS', 'COMPLETED'];
  return withPostGraphile5([
    {
      id: 'Q1',
      title: `${q1n} enterprises with city and province`,
      api: `{ enterprises(first: ${q1n}) { nodes { id name creditCode industry currentGrade city { slug nameEn province { slug nameEn } } } } }`,
      postgraphile: `{ enterprises(first: ${q1n}, orderBy: [NAME_ASC, ID_ASC]) { nodes { id name creditCode industry currentGrade city { slug nameEn province { slug nameEn } } } } }`,
      reference: { name: 'Q1', params: [q1n] },
      pick: (data) => data.enterprises.nodes,
    },
    {
      id: 'Q2',
      title: `${q2.cities} cities x ${q2.enterprises} enterprises x ${q2.changes} latest grade changes`,
      api: `{ cities(first: ${q2.cities}) { nodes { slug enterprises(first: ${q2.enterprises}) { nodes { id name gradeChanges(first: ${q2.changes}) { ${GRADES} } } } } } }`,
      postgraphile: `{ cities(first: ${q2.cities}, orderBy: [PLAN_ORDER_ASC, ID_ASC]) { nodes { slug enterprises(first: ${q2.enterprises}, orderBy: [NAME_ASC, ID_ASC]) { nodes { id name gradeChanges(first: ${q2.changes}, orderBy: [DECIDED_AT_DESC, ID_DESC]) { ${GRADES} } } } } } }`,
      reference: { name: 'Q2', params: [q2.cities, q2.enterprises, q2.changes] },
      pick: (data) => data.cities.nodes,
    },
    {
      id: 'Q3',
      title: 'one enterprise by id',
      api: `{ enterprise(id: "${enterpriseId}") { id name creditCode industry size currentGrade ultraLowEmissionStatus city { slug nameEn } } }`,
      postgraphile: `{ enterprise(id: ${enterpriseId}) { id name creditCode industry size currentGrade ultraLowEmissionStatus city { slug nameEn } } }`,
      reference: { name: 'Q3', params: [enterpriseId] },
      pick: (data) => data.enterprise,
    },
    {
      id: 'Q4',
      title: `${q4n} retrofit projects of a province by status, with enterprise and task target`,
      api: `{ retrofitProjects(first: ${q4n}, filter: { province: "${province}", statuses: [${statuses.join(', ')}] }) { nodes { id name status plannedEndDate investmentYuan city { slug } enterprise { id name } taskTarget { code nameEn } } } }`,
      postgraphile: `{ retrofitProjects(first: ${q4n}, orderBy: [CREATED_AT_DESC, ID_DESC], filter: { city: { province: { slug: { equalTo: "${province}" } } }, status: { in: [${statuses.map((s) => `"${s}"`).join(', ')}] } }) { nodes { id name status plannedEndDate investmentYuan city { slug } enterprise { id name } taskTarget { code nameEn } } } }`,
      reference: { name: 'Q4', params: [q4n, province, statuses] },
      pick: (data) => data.retrofitProjects.nodes,
    },
    {
      id: 'Q5',
      title: 'task target progress by province',
      api: `{ taskTarget(code: "COAL_HOUSEHOLDS") { code quantity progress { achieved percent met countedProjects } breakdown { quantity province { slug } progress { achieved percent met countedProjects } } } }`,
      // PostGraphile has no progress: it is computed by the API (and by the reference's SQL).
      postgraphile: null,
      reference: { name: 'Q5', params: ['COAL_HOUSEHOLDS'] },
      pick: (data) => data.taskTarget,
    },
  ]);
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

const NUMERIC_KEYS = new Set(['investmentYuan', 'quantity', 'achieved', 'percent']);

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
