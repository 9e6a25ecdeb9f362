'use strict';
// The vmtrace-report command as users run it: exit statuses, one-line
// errors without stack traces, --text, -o, and the standalone bundle.
const test = require('node:test');
const assert = require('node:assert');
const child_process = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const fx = require('../fixtures');

const reports = path.join(__dirname, '..', '..', '..', 'reports');
const cmd = path.join(reports, 'vmtrace-report');
const real = path.join(__dirname, '..', 'data', 'phases.vmtrace.out');
const haveUplot = fs.existsSync(path.join(reports, 'node_modules', 'uplot', 'dist', 'uPlot.iife.min.js'));
const noUplot = haveUplot ? false : 'uPlot not installed (npm ci in reports/)';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vmtrace-report-cli-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

function run(args, opts) {
  return child_process.spawnSync(process.execPath, [cmd].concat(args), Object.assign({ encoding: 'utf8', cwd: tmp }, opts || {}));
}
function write(name, content) {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, content);
  return p;
}

test('a bad file: one line "vmtrace-report: FILE: problem" and status 1', () => {
  const text = fs.readFileSync(real, 'utf8');
  const cases = [
    [write('trunc', text.slice(0, 3000)), /: truncated: the JSON ends after 3000 bytes$/],
    [write('corrupt', text.replace('"mappings"', '"mappings" "x"')), /: not valid JSON at line \d+, column \d+$/],
    [write('other', '{"format": "massif-out", "version": 1}'), /: not a vmtrace output file \(format is "massif-out", not "vmtrace-out" or "vmtrace-native"\)$/],
    [write('v2', text.replace('"version": 1', '"version": 2').replace('"version":1', '"version":2')), /: unsupported version 2 \(this vmtrace-report reads version 1\)$/],
    [write('nokey', JSON.stringify(Object.assign(JSON.parse(text), { totals: undefined }))), /: missing key totals$/],
    [write('empty', ''), /: empty file, not a vmtrace output file$/],
    [path.join(tmp, 'does-not-exist'), /: cannot open: no such file$/],
    [tmp, /: is a directory, not a vmtrace output file$/]
  ];
  cases.forEach(([file, re]) => {
    const r = run([file, '-o', path.join(tmp, 'x.html')]);
    assert.strictEqual(r.status, 1, file + ': ' + r.stderr);
    const lines = r.stderr.split('\n').filter(Boolean);
    assert.strictEqual(lines.length, 1, r.stderr);
    assert.ok(lines[0].startsWith('vmtrace-report: ' + file + ': '), lines[0]);
    assert.match(lines[0], re);
    assert.ok(!/\bat .*\.js:\d+/.test(r.stderr), 'no stack trace');
    assert.strictEqual(r.stdout, '');
  });
  assert.ok(!fs.existsSync(path.join(tmp, 'x.html')), 'no report written');
});

test('each bad file among several gets its line; nothing is written', () => {
  const a = write('bad1', '{');
  const b = write('bad2', 'nope');
  const r = run([real, a, b, '--text']);
  assert.strictEqual(r.status, 1);
  assert.strictEqual(r.stderr.split('\n').filter(Boolean).length, 2);
  assert.strictEqual(r.stdout, '');
});

test('usage errors exit 2 with the usage', () => {
  let r = run([]);
  assert.strictEqual(r.status, 2);
  assert.match(r.stderr, /^vmtrace-report: no input files\nusage: vmtrace-report FILE/);
  r = run(['--bogus', real]);
  assert.strictEqual(r.status, 2);
  assert.match(r.stderr, /unknown option --bogus/);
  r = run([real, '-o']);
  assert.strictEqual(r.status, 2);
  r = run(['--help']);
  assert.strictEqual(r.status, 0);
  assert.match(r.stdout, /--text/);
});

test('--text prints the sections to stdout', () => {
  const r = run([real, '--text']);
  assert.strictEqual(r.status, 0, r.stderr);
  assert.strictEqual(r.stderr, '');
  assert.match(r.stdout, /^== Mappings ==$/m);
  assert.match(r.stdout, /^== Phases ==$/m);
});

test('an HTML report with -o, and to stdout with -o -', { skip: noUplot }, () => {
  const out = path.join(tmp, 'r.html');
  let r = run([real, '-o', out]);
  assert.strictEqual(r.status, 0, r.stderr);
  assert.match(r.stderr, /^vmtrace-report: wrote .*r\.html \(1 file, \d+ KiB\)\n$/);
  const page = fs.readFileSync(out, 'utf8');
  assert.match(page, /^<!DOCTYPE html>/);
  assert.ok(page.indexOf('leeoniya/uPlot') >= 0, 'uPlot inlined');
  assert.ok(!/<script[^>]+src=|<link[^>]+href=|https?:\/\/(?!github\.com\/leeoniya)/.test(page.replace(/"[^"]*"/g, (s) => (s.length > 200 ? '""' : s))), 'nothing loaded from elsewhere');
  r = run([real, '-o', '-']);
  assert.strictEqual(r.status, 0);
  assert.match(r.stdout, /^<!DOCTYPE html>/);
});

test('the default output name, and the same file given twice counts once', { skip: noUplot }, () => {
  const r = run([real, real]);
  assert.strictEqual(r.status, 0, r.stderr);
  assert.match(r.stderr, /wrote vmtrace-report\.html \(1 file,/);
  assert.ok(fs.existsSync(path.join(tmp, 'vmtrace-report.html')));
});

test('a process tree and the synthetic file make one report', { skip: noUplot }, () => {
  const w = fx.writeAll(path.join(tmp, 'fx'));
  const r = run(w.tree.concat(['-o', path.join(tmp, 't.html')]));
  assert.strictEqual(r.status, 0, r.stderr);
  assert.match(r.stderr, /\(6 files,/);
});

test('the standalone bundle works on its own, away from the source tree', { skip: noUplot }, () => {
  const dest = path.join(tmp, 'bin', 'vmtrace-report');
  const b = child_process.spawnSync(process.execPath, [path.join(reports, 'bundle.js'), '-o', dest], { encoding: 'utf8' });
  assert.strictEqual(b.status, 0, b.stderr);
  assert.ok(fs.statSync(dest).mode & 0o100, 'executable');
  const v = child_process.spawnSync(process.execPath, [dest, '--version'], { encoding: 'utf8', cwd: '/' });
  assert.match(v.stdout, /^vmtrace-report \d+\.\d+\.\d+\n$/);
  const out = path.join(tmp, 'bundled.html');
  const r = child_process.spawnSync(process.execPath, [dest, real, '-o', out], { encoding: 'utf8', cwd: '/' });
  assert.strictEqual(r.status, 0, r.stderr);
  const a = run([real, '-o', '-']).stdout;
  const strip = (s) => s.replace(/"generated":"[^"]*"/, '');
  assert.strictEqual(strip(fs.readFileSync(out, 'utf8')), strip(a), 'the same page as from the source tree');
  const bad = child_process.spawnSync(process.execPath, [dest, write('b', '{"format":"x"}')], { encoding: 'utf8' });
  assert.strictEqual(bad.status, 1);
  assert.match(bad.stderr, /^vmtrace-report: .*: not a vmtrace output file/);
});

test('an unwritable output is one line and status 1', { skip: noUplot }, () => {
  const r = run([real, '-o', path.join(tmp, 'no', 'such', 'dir', 'x.html')]);
  assert.strictEqual(r.status, 1);
  assert.match(r.stderr, /^vmtrace-report: .*x\.html: cannot write: no such directory\n$/);
});
