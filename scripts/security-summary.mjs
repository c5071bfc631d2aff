#!/usr/bin/env node
// Prints the security test summary from the figures the Go tests wrote
// (testdb.RecordSecurity: one NAME.json per test in the folder given, the
// test command's HUICAI_SECURITY_SUMMARY) and saves it as summary.txt there.
// Exits 1 when an expected figure is missing, when any forbidden call,
// IDOR attempt or tampered input got through, or when a race did not end
// with exactly one success: so CI catches a regression.
//
// Usage: node scripts/security-summary.mjs test-output/security
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node scripts/security-summary.mjs FOLDER');
  process.exit(2);
}

const label = (name) => name.replaceAll('_', ' ');

/** refusedAll is the check of a figure of inputs that must all be refused. */
const refusedAll = (f) => (f.refused === f.tried && f.tried > 0 ? [] : [`${f.refused} refused of ${f.tried}`]);

// Each known figure: whether the summary requires it, its line(s), and what
// is wrong with it (nothing when it holds).
const figures = {
  role_matrix: {
    required: true,
    lines: (f) => [
      `role × route: ${f.forbidden_calls} forbidden calls tried, ${f.forbidden_allowed} allowed; ` +
        `${f.anonymous_calls} calls without a session, ${f.anonymous_allowed} allowed; ${f.permitted_calls} permitted calls`,
    ],
    problems: (f) => (f.forbidden_calls > 0 && f.anonymous_calls > 0 ? [] : ['no calls tried']),
  },
  idor: {
    required: true,
    lines: (f) => [
      `IDOR: ${f.attempts} attempts on ${f.routes} routes (${f.foreign_objects} on others' objects, ` +
        `${f.missing_objects} on missing ones), ${f.allowed} allowed`,
    ],
    problems: (f) => (f.attempts > 0 ? [] : ['no attempts']),
  },
  races: {
    required: true,
    lines: (f) =>
      Object.entries(f).map(
        ([name, { parallel, succeeded, ...rest }]) =>
          `race ${name}: ${parallel} parallel → ${succeeded} succeeded` +
          Object.entries(rest).map(([k, v]) => `, ${label(k)} ${v}`).join(''),
      ),
    problems: (f) =>
      Object.keys(f).length === 0
        ? ['no races run']
        : Object.entries(f).flatMap(([name, r]) => [
            ...(r.succeeded === 1 ? [] : [`${name}: ${r.succeeded} succeeded, want 1`]),
            ...(r.audit_rows === undefined || r.audit_rows === 1 ? [] : [`${name}: ${r.audit_rows} audit rows, want 1`]),
          ]),
  },
  tampered_packages: {
    required: true,
    lines: (f) => [`tampered packages: ${f.refused} refused of ${f.tried}`],
    problems: refusedAll,
  },
  bad_receipts: {
    required: true,
    lines: (f) => [`receipts with impossible fields: ${f.refused} refused of ${f.tried}`],
    problems: refusedAll,
  },
  registration_burst: {
    required: true,
    lines: (f) => [
      `registration burst: ${f.parallel} parallel, ${f.registered} registered, ${f.refused_busy} refused as busy, ` +
        `peak RSS ${f.peak_rss_mb} MB (limit 600), ${f.rss_after_mb} MB after`,
    ],
    problems: (f) => (f.peak_rss_mb < 600 ? [] : [`peak RSS ${f.peak_rss_mb} MB, want under 600`]),
  },
};

/** through lists the counts, anywhere in f, that must be 0: what got through (…allowed, …passed) or was lost. */
function through(f, path = []) {
  return Object.entries(f).flatMap(([k, v]) => {
    if (v && typeof v === 'object') return through(v, [...path, k]);
    const leaky = /(^|_)(allowed|passed|passed_through|lost)$/.test(k);
    return leaky && v !== 0 ? [`${[...path, k].join('.')} = ${v}`] : [];
  });
}

/** plain writes the figures of a test the summary does not know as "key value, …". */
const plain = (f) =>
  Object.entries(f)
    .map(([k, v]) => `${label(k)} ${v && typeof v === 'object' ? `(${plain(v)})` : v}`)
    .join(', ');

function load(name) {
  try {
    return JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8'));
  } catch (err) {
    return err.code === 'ENOENT' ? undefined : { error: String(err) };
  }
}

let names = [];
try {
  names = readdirSync(dir).filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -5));
} catch {
  // a missing folder: every required figure is reported missing below
}
const rows = [];
const failures = [];
for (const name of [...new Set([...Object.keys(figures), ...names.sort()])]) {
  const known = figures[name];
  const f = load(name);
  if (f === undefined) {
    if (known?.required) failures.push(`${label(name)}: no figures (${name}.json missing; did its test run?)`);
    continue;
  }
  if (f.error) {
    failures.push(`${label(name)}: unreadable: ${f.error}`);
    continue;
  }
  rows.push(...(known ? known.lines(f) : [`${label(name)}: ${plain(f)}`]));
  failures.push(...[...(known ? known.problems(f) : []), ...through(f)].map((p) => `${label(name)}: ${p}`));
}

const indent = (l) => `  ${l}`;
let text = ['security summary', ...rows.map(indent)].join('\n') + '\n';
if (failures.length) text += ['security summary FAILED:', ...failures.map(indent)].join('\n') + '\n';
process.stdout.write(text);
try {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'summary.txt'), text);
} catch (err) {
  console.error(`cannot save ${join(dir, 'summary.txt')}: ${err.message}`);
  process.exitCode = 1;
}
if (failures.length) process.exitCode = 1;
