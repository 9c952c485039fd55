import autocannon from 'autocannon';
import { buildQueries } from './queries.mjs';
const [url, key, id = 'Q3', seconds = '5'] = process.argv.slice(2);
const q = buildQueries({ enterpriseId: 12345 }).find((x) => x.id === id);
const body = JSON.stringify({ query: q.api });
const run = (duration) => new Promise((res, rej) => autocannon({ url, method: 'POST', body, connections: 20, duration, headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` } }, (e, r) => (e ? rej(e) : res(r))));
await run(2);
const r = await run(Number(seconds));
console.log(id, Math.round(r.requests.average), 'req/s p50', r.latency.p50, 'p99', r.latency.p99, 'non2xx', r.non2xx, 'errors', r.errors);
