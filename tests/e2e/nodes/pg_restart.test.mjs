// PostgreSQL restarted under load (pg_restart.sh starts the nodes and the
// balancer): writers create users and readers read them through the
// balancer, while probes ask each node directly, and PostgreSQL is restarted
// twice: `pg_ctl restart -m fast`, then stopped for 3 s and started. How soon
// each node serves again is printed (and fails only when grossly over, 30 s,
// or never); every write that got a 2xx must be in the database afterwards;
// each node's gate must still follow the other's writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { balancer, nodes, contoso, token, call, measureFreshness, summary } from './lib.mjs';

const pgCtl = process.env.GATEHOUSE_TEST_PG_CTL;
const sql = (q) => execFileSync('psql', ['-X', '-A', '-t', '-q', process.env.GH_DATABASE, '-c', q], { encoding: 'utf8' }).trim();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const run = Date.now().toString(36);
const GROSS_MS = 30000;

// What each request got: a status, or 'error' (no HTTP answer at all).
async function attempt(fn) {
  try { return (await fn()).status; } catch { return 'error'; }
}

test('PostgreSQL restarted under load: nodes serve again, and every acknowledged write is stored', async () => {
  assert.ok(pgCtl, 'GATEHOUSE_TEST_PG_CTL is not set: run through script/with-postgres');
  const lbToken = await token(balancer);
  // Probed: each node directly, and the balancer (which also waits for its health checks).
  const targets = [...nodes, balancer];
  const nodeTokens = await Promise.all(targets.map((n) => token(n)));
  let stop = false;
  const acknowledged = [];         // UPNs whose creation got a 2xx
  const writeStatus = new Map();   // status -> count
  const readStatus = new Map();
  const probes = targets.map(() => []);  // per target: [time, ok]
  const ids = [];
  const count = (m, k) => m.set(k, (m.get(k) ?? 0) + 1);
  let n = 0;

  const writer = async () => {
    while (!stop) {
      const upn = `pg.${run}.${n++}@${contoso.domain}`;
      const st = await attempt(async () => {
        const r = await call(balancer, 'POST', '/v1.0/users', { bearer: lbToken, body: {
          accountEnabled: true, displayName: 'Restart Load', mailNickname: upn.split('@')[0].replace(/\./g, ''),
          userPrincipalName: upn, passwordProfile: { password: 'R3start-Passw0rd!' } } });
        if (r.status === 201) { acknowledged.push(upn); ids.push(r.json.id); }
        return r;
      });
      count(writeStatus, st);
      if (st !== 201) await sleep(20);  // don't spin on a refusing balancer
    }
  };
  const reader = async () => {
    while (!stop) {
      if (ids.length === 0) { await sleep(20); continue; }
      const id = ids[Math.floor(Math.random() * ids.length)];
      const st = await attempt(() => call(balancer, 'GET', `/v1.0/users/${id}`, { bearer: lbToken }));
      count(readStatus, st);
      if (st !== 200) await sleep(20);
    }
  };
  // A read that needs the database, to each target, every 50 ms.
  const prober = async (i) => {
    while (!stop) {
      const st = await attempt(() => call(targets[i], 'GET', '/v1.0/users?$top=1&$select=id', { bearer: nodeTokens[i] }));
      probes[i].push([performance.now(), st === 200]);
      await sleep(50);
    }
  };
  const load = Promise.all([writer(), writer(), writer(), reader(), reader(), ...targets.map((_, i) => prober(i))]);

  const pg = async (...args) => { await promisify(execFile)(pgCtl, args); };
  // First success of node i at or after `since`, and its last failure before that.
  const recovery = (i, since) => {
    const first = probes[i].find(([t, ok]) => t >= since && ok);
    return first ? first[0] - since : undefined;
  };
  const rounds = [];
  await sleep(2000);
  {
    const t0 = performance.now();
    await pg('restart', '-m', 'fast', '-w');
    rounds.push({ name: 'pg_ctl restart -m fast', down: t0, up: performance.now() });
  }
  await sleep(5000);
  {
    const t0 = performance.now();
    await pg('stop', '-m', 'fast', '-w');
    await sleep(3000);
    await pg('start', '-w');
    rounds.push({ name: 'stopped 3 s, then started', down: t0, up: performance.now() });
  }
  // Wait (bounded) until every node has answered a probe after the last start, then a little longer.
  const last = rounds[rounds.length - 1].up;
  while (targets.some((_, i) => recovery(i, last) === undefined) && performance.now() - last < GROSS_MS) await sleep(100);
  await sleep(3000);
  stop = true;
  await load;

  rounds.forEach((r, k) => {
    const end = k + 1 < rounds.length ? rounds[k + 1].down : Infinity;
    const parts = targets.map((_, i) => {
      const ms = recovery(i, r.up);
      const failed = probes[i].filter(([t, ok]) => t >= r.down && t < end && !ok).length;
      // Failures once it had answered again (a broken pooled connection met late).
      const late = ms === undefined ? 0 : probes[i].filter(([t, ok]) => t > r.up + ms && t < end && !ok).length;
      return `${i < nodes.length ? `node ${i + 1}` : 'balancer'} ${ms === undefined ? 'never' : `${ms.toFixed(0)} ms`} `
        + `(${failed} failed probes, ${late} of them after that)`;
    });
    console.log(`# ${r.name}: PostgreSQL back ${(r.up - r.down).toFixed(0)} ms after the stop began; `
      + `first good answer after it was back: ${parts.join(', ')}`);
  });
  console.log(`# writes through the balancer: ${JSON.stringify(Object.fromEntries(writeStatus))}, `
    + `reads: ${JSON.stringify(Object.fromEntries(readStatus))}`);

  for (const r of rounds) {
    targets.forEach((_, i) => {
      const ms = recovery(i, r.up);
      assert.ok(ms !== undefined && ms < GROSS_MS, `${targets[i]} did not serve again after "${r.name}"`);
    });
  }
  // At the end every node serves: its last probes all succeeded.
  probes.forEach((p, i) => assert.ok(p.slice(-10).every(([, ok]) => ok), `${targets[i]} still failing at the end`));
  assert.ok(acknowledged.length > 0);
  // Every write that was acknowledged is stored.
  const stored = new Set(sql(`SELECT upn_lower FROM users WHERE upn_lower LIKE 'pg.${run}.%'`).split('\n').filter(Boolean));
  const lost = acknowledged.filter((u) => !stored.has(u.toLowerCase()));
  assert.deepEqual(lost, [], `${lost.length} acknowledged writes are not in the database`);
  console.log(`# ${acknowledged.length} acknowledged writes, all stored; ${stored.size - acknowledged.length} more `
    + 'stored without a 2xx (the answer was lost, not the write)');
});

test("after the restarts each node's gate still follows the other's writes", async () => {
  const ab = await measureFreshness({ writer: nodes[0], reader: nodes[1], changes: 20 });
  const ba = await measureFreshness({ writer: nodes[1], reader: nodes[0], changes: 20 });
  console.log(`# freshness after the restarts: A->B ${summary(ab)}; B->A ${summary(ba)}`);
});
