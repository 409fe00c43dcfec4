// GET /metrics: after some traffic, the exposition parses with a real
// Prometheus text-format parser (parse-prometheus-text-format, a port of the
// Prometheus Python client's parser) and has the series operators rely on:
// requests by route template (never by path), a latency histogram whose
// buckets are cumulative and end in +Inf, gate decisions, and the background
// work's gauges. Access: the scrape token (run.sh passes --metrics-token-file)
// admits; none or a wrong one is refused with 401 in Graph's error shape.
//
// These tests reach the server over loopback only, where a scraper needs no
// token. A request that names another client (X-Forwarded-For, as any reverse
// proxy on the host sends) is never taken for a local one, so that is how the
// refusal is exercised here; the address rule itself (127.0.0.0/8, ::1, and
// anything else refused) is tested with injected addresses in
// tests/unit/metrics/scrape_access_test.cc.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { baseUrl, tenants, raw } from './harness.mjs';

const contoso = tenants.contoso;
const token = process.env.GH_METRICS_TOKEN;

async function scrape(headers = {}) {
  const res = await fetch(`${baseUrl}/metrics`, { headers });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

function family(parsed, name) {
  const f = parsed.find((x) => x.name === name);
  assert.ok(f, `no ${name} in the exposition`);
  return f;
}

function sameLabels(a = {}, b = {}) {
  const ka = Object.keys(a).sort();
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

let userIds;

before(async () => {
  assert.ok(token, 'GH_METRICS_TOKEN is not set: run through tests/e2e/run.sh');
  const users = await raw('GET', '/v1.0/users?$select=id&$top=5');
  assert.equal(users.status, 200, users.text);
  userIds = users.json.value.map((u) => u.id);
  assert.ok(userIds.length >= 1);
  // Traffic: users by id (one route template, several paths), an unknown
  // user (404 on the same template), access checks, and a path no route has.
  for (let i = 0; i < 6; ++i) assert.equal((await raw('GET', `/v1.0/users/${userIds[i % userIds.length]}`)).status, 200);
  assert.equal((await raw('GET', '/v1.0/users/00000000-0000-0000-0000-00000000dead')).status, 404);
  for (let i = 0; i < 3; ++i) {
    const r = await raw('POST', '/api/v1/access/check', {
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ userId: userIds[0], action: 'directory.read' }),
    });
    assert.equal(r.status, 200, r.text);
  }
  assert.equal((await raw('GET', '/no/such/route/anywhere', { token: '' })).status, 404);
});

test('the scrape token admits, and the exposition parses with a Prometheus parser', async () => {
  const res = await scrape({ Authorization: `Bearer ${token}`, 'X-Forwarded-For': '203.0.113.7' });
  assert.equal(res.status, 200, res.text);
  assert.match(res.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
  const parsed = parsePrometheusTextFormat(res.text);
  for (const f of parsed) assert.ok(['COUNTER', 'GAUGE', 'HISTOGRAM'].includes(f.type), `${f.name}: ${f.type}`);

  // Requests by route template and status, never by path.
  const requests = family(parsed, 'http_requests_total');
  assert.equal(requests.type, 'COUNTER');
  const byId = (status) =>
    requests.metrics.find((m) => sameLabels(m.labels, { route: '/v1.0/users/{id}', method: 'GET', status }));
  assert.ok(byId('200') && Number(byId('200').value) >= 6, JSON.stringify(requests.metrics));
  assert.ok(byId('404') && Number(byId('404').value) >= 1);
  assert.ok(requests.metrics.some((m) => m.labels.route === 'unmatched' && m.labels.status === '404'));
  for (const id of userIds) assert.ok(!res.text.includes(id), `a user id leaked into a label: ${id}`);
  assert.ok(!res.text.includes('/no/such/route'));

  // The latency histogram: cumulative buckets ending in +Inf = _count. This
  // parser folds every series of a labelled histogram into one object, so it
  // is given the one series' lines (their route and method labels dropped).
  const durations = family(parsed, 'http_request_duration_seconds');
  assert.equal(durations.type, 'HISTOGRAM');
  const seriesLabels = 'method="GET",route="/v1.0/users/{id}"';
  const seriesLines = res.text.split('\n').filter((l) => l.startsWith('http_request_duration_seconds_') &&
    l.includes(`{${seriesLabels}`));
  assert.ok(seriesLines.length >= 3, 'no http_request_duration_seconds series for GET /v1.0/users/{id}');
  const one = parsePrometheusTextFormat(['# TYPE http_request_duration_seconds histogram',
    ...seriesLines.map((l) => l.replace(`{${seriesLabels},`, '{').replace(`{${seriesLabels}}`, '')), ''].join('\n'));
  const h = one[0].metrics[0];
  const bounds = Object.keys(h.buckets).sort((a, b) => (a === '+Inf' ? 1 : b === '+Inf' ? -1 : Number(a) - Number(b)));
  assert.equal(bounds.at(-1), '+Inf');
  assert.ok(bounds.length >= 10);
  let previous = 0;
  for (const le of bounds) {
    const n = Number(h.buckets[le]);
    assert.ok(n >= previous, `bucket le=${le} (${n}) is below the one before it (${previous})`);
    previous = n;
  }
  assert.equal(Number(h.buckets['+Inf']), Number(h.count));
  assert.ok(Number(h.count) >= 7);
  assert.ok(Number(h.sum) > 0);

  // Gate decisions, counted where the access check serves them.
  const decisions = family(parsed, 'gatehouse_gate_decisions_total');
  const served = decisions.metrics
    .filter((m) => m.labels.action === 'directory.read')
    .reduce((n, m) => n + Number(m.value), 0);
  assert.ok(served >= 3, JSON.stringify(decisions.metrics));
  assert.ok(Number(family(parsed, 'gatehouse_snapshot_rebuilds_total').metrics.find((m) => m.labels.result === 'ok').value) >= 1);

  // The background work and the database.
  const pool = family(parsed, 'gatehouse_db_pool_connections');
  const state = (s) => Number(pool.metrics.find((m) => m.labels.state === s).value);
  assert.ok(state('size') >= 1 && state('open') <= state('size') && state('in_use') <= state('open'));
  assert.ok(Number(family(parsed, 'gatehouse_outbox_pending').metrics[0].value) >= 0);
  family(parsed, 'gatehouse_mail_send_failures_total');
  family(parsed, 'gatehouse_bulk_rows_processed_total');
});

test('without the scrape token a non-local scraper is refused in Graph error shape', async () => {
  for (const headers of [
    { 'X-Forwarded-For': '203.0.113.7' },
    { 'X-Forwarded-For': '203.0.113.7', Authorization: `Bearer ${token}x` },
    { 'X-Forwarded-For': '203.0.113.7', Authorization: `Basic ${token}` },
    { Forwarded: 'for=203.0.113.7', Authorization: 'Bearer ' },
  ]) {
    const res = await scrape(headers);
    assert.equal(res.status, 401, `${JSON.stringify(headers)}: ${res.text}`);
    const body = JSON.parse(res.text);
    assert.equal(body.error.code, 'InvalidAuthenticationToken');
    assert.ok(body.error.innerError['request-id']);
    assert.ok(!res.text.includes('http_requests_total'));
    assert.match(res.headers.get('www-authenticate'), /^Bearer /);
  }
});

test('a local scraper needs no token', async () => {
  const res = await scrape();
  assert.equal(res.status, 200);
  assert.ok(parsePrometheusTextFormat(res.text).length > 0);
});

test('an app token for the Graph API is no scrape token', async () => {
  const res = await raw('GET', '/metrics', { tenant: contoso, headers: { 'X-Forwarded-For': '203.0.113.7' } });
  assert.equal(res.status, 401);
});
