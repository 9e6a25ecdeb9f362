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
const haveUplot =
    fs.existsSync(path.join(process.env.VMTRACE_UPLOT_DIR ||
        path.join(reports, 'node_modules', 'uplot', 'dist'), 'uPlot.iife.min.js'));
const noUplot = haveUplot ? false : 'uPlot not installed (npm ci in reports/)';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vmtrace-report-cli-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

function run(args, opts) {
  return child_process.spawnSync(process.execPath, [cmd].concat(args),
      Object.assign({ encoding: 'utf8', cwd: tmp }, opts || {}));
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
    // what a vmtrace killed while writing vmtrace.out.41 left (vt_out.c)
    [write('vmtrace.out.41.tmp.41', text.slice(0, 3000)), new RegExp(': truncated: the JSON ' +
        'ends after 3000 bytes \\(vmtrace\'s temporary file for vmtrace\\.out\\.41, of a ' +
        'run still writing it or killed while writing: not an output\\)$')],
    [write('corrupt', text.replace('"mappings"', '"mappings" "x"')),
        /: not valid JSON at line \d+, column \d+$/],
    [write('other', '{"format": "massif-out", "version": 1}'),
    // eslint-disable-next-line max-len -- one message
    /: not a vmtrace output file \(format is "massif-out", not "vmtrace-out", "vmtrace-native", "vmtrace-sim" or "vmtrace-sim-tree"\)$/],
    [write('v2', text.replace('"version": 1', '"version": 2').replace('"version":1',
        '"version":2')), /: unsupported version 2 \(this vmtrace-report reads version 1\)$/],
    [write('nokey', JSON.stringify(Object.assign(JSON.parse(text), { totals: undefined }))),
        /: missing key totals$/],
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

// vmtrace-sim's and vmtrace-native's way: the problem and where the options
// are listed on one line, exit status 1; the usage is for --help (until
// 2026-12-06 it followed every usage error, 15 lines, with status 2).
test('usage errors: one line naming --help, status 1; --help prints the usage', () => {
  const usage = ' (vmtrace-report --help for usage)';
  const cases = [
    [[], 'no input files' + usage],
    [['--bogus', real], 'unknown option \'--bogus\' (vmtrace-report --help lists them)'],
    [[real, '-o'], '-o needs a file name' + usage],
    [[real, '--output='], '--output needs a file name' + usage],
    [[real, '--text', '-o', 'x.html'], '--text prints to the terminal; -o is for the HTML report']
  ];
  cases.forEach(([args, line]) => {
    const r = run(args);
    assert.strictEqual(r.status, 1, args.join(' ') + ': ' + r.stderr);
    assert.strictEqual(r.stderr, 'vmtrace-report: ' + line + '\n');
    assert.strictEqual(r.stdout, '');
  });
  const h = run(['--help']);
  assert.strictEqual(h.status, 0);
  assert.strictEqual(h.stderr, '');
  assert.match(h.stdout, /^usage: vmtrace-report FILE\.\.\. /);
  assert.match(h.stdout, /--text/);
  assert.match(h.stdout, /--version +the version\n$/);
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
  assert.ok(!/<script[^>]+src=|<link[^>]+href=|https?:\/\/(?!github\.com\/leeoniya)/.test(
      page.replace(/"[^"]*"/g, (s) => (s.length > 200 ? '""' : s))),
          'nothing loaded from elsewhere');
  r = run([real, '-o', '-']);
  assert.strictEqual(r.status, 0);
  assert.match(r.stdout, /^<!DOCTYPE html>/);
});

test('the default output name, and the same file given twice counts once',
    { skip: noUplot }, () => {
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
  const b = child_process.spawnSync(process.execPath, [path.join(reports, 'bundle.js'), '-o', dest],
      { encoding: 'utf8' });
  assert.strictEqual(b.status, 0, b.stderr);
  assert.ok(fs.statSync(dest).mode & 0o100, 'executable');
  const v = child_process.spawnSync(process.execPath, [dest, '--version'],
      { encoding: 'utf8', cwd: '/' });
  assert.match(v.stdout, /^vmtrace-report \d+\.\d+\.\d+\n$/);
  const out = path.join(tmp, 'bundled.html');
  const r = child_process.spawnSync(process.execPath, [dest, real, '-o', out],
      { encoding: 'utf8', cwd: '/' });
  assert.strictEqual(r.status, 0, r.stderr);
  const a = run([real, '-o', '-']).stdout;
  const strip = (s) => s.replace(/"generated":"[^"]*"/, '');
  assert.strictEqual(strip(fs.readFileSync(out, 'utf8')), strip(a),
      'the same page as from the source tree');
  const bad = child_process.spawnSync(process.execPath, [dest, write('b', '{"format":"x"}')],
      { encoding: 'utf8' });
  assert.strictEqual(bad.status, 1);
  assert.match(bad.stderr, /^vmtrace-report: .*: not a vmtrace output file/);
});

test('an unwritable output is one line and status 1', { skip: noUplot }, () => {
  const r = run([real, '-o', path.join(tmp, 'no', 'such', 'dir', 'x.html')]);
  assert.strictEqual(r.status, 1);
  assert.match(r.stderr, /^vmtrace-report: .*x\.html: cannot write: no such directory\n$/);
});

// ---- inputs that are not regular files, outputs written whole (issue 10) --------

function oneLine(r, status, line) {
  assert.strictEqual(r.status, status, r.stderr);
  assert.strictEqual(r.stderr, 'vmtrace-report: ' + line + '\n');
  assert.ok(!/\bat .*\.js:\d+|internal error/.test(r.stderr), 'no stack trace');
}

test('a FIFO or a device given as input is refused at once, not read', () => {
  const fifo = path.join(tmp, 'fifo');
  child_process.execFileSync('mkfifo', [fifo]);
  // nobody writes the FIFO: opening it for reading would wait forever
  oneLine(run([fifo, '--text'], { timeout: 20000 }), 1, fifo +
      ': not a regular file (a FIFO), not a vmtrace output file');
  oneLine(run(['/dev/zero', '--text'], { timeout: 20000 }), 1,
      '/dev/zero: not a regular file (a character device), not a vmtrace output file');
  // on standard input a stream is fine; /dev/zero starts with a NUL: not JSON
  const z = child_process.spawnSync('/bin/sh',
      ['-c', 'exec "$0" "$1" --text - </dev/zero', process.execPath, cmd],
          { encoding: 'utf8', timeout: 20000 });
  oneLine(z, 1, '-: not a vmtrace output file (not JSON)');
  const piped = run(['--text', '-'], { input: fs.readFileSync(real) });
  assert.strictEqual(piped.status, 0, piped.stderr);
  assert.match(piped.stdout, /^vmtrace report: \(stdin\)\n/);
});

test('-o naming an input is refused, by any name, and the input is kept', () => {
  const inp = write('in.json', fs.readFileSync(real, 'utf8'));
  const link = path.join(tmp, 'in-link.json');
  const hard = path.join(tmp, 'in-hard.json');
  fs.symlinkSync(inp, link);
  fs.linkSync(inp, hard);
  [inp, link, hard, path.join(tmp, '.', 'in.json')].forEach((o) => {
    oneLine(run([inp, '-o', o]), 1, o + ': is one of the input files; give -o another name');
  });
  assert.strictEqual(fs.readFileSync(inp, 'utf8'), fs.readFileSync(real, 'utf8'));
});

test('the report is written whole or not at all: a failed write keeps the old one',
    { skip: noUplot }, () => {
  const dir = path.join(tmp, 'whole');
  fs.mkdirSync(dir);
  const out = path.join(dir, 'r.html');
  fs.writeFileSync(out, 'the previous report\n');
  // a file size limit of 64 blocks (32 KiB): the page (~240 KiB) cannot be written
  const r = child_process.spawnSync('/bin/sh',
      ['-c', 'ulimit -f 64; exec "$0" "$@"', process.execPath, cmd, real, '-o', out],
          { encoding: 'utf8' });
  oneLine(r, 1, out + ': cannot write: file too large');
  assert.strictEqual(fs.readFileSync(out, 'utf8'), 'the previous report\n');
  assert.deepStrictEqual(fs.readdirSync(dir), ['r.html'], 'no temporary file left');
  const ok = run([real, '-o', out]);
  assert.strictEqual(ok.status, 0, ok.stderr);
  assert.match(fs.readFileSync(out, 'utf8'), /^<!DOCTYPE html>[^]*<\/html>\n$/);
  assert.deepStrictEqual(fs.readdirSync(dir), ['r.html'], 'no temporary file left');
});

test('devices are written in place: /dev/null stays, /dev/full is one line',
    { skip: noUplot }, () => {
  const r = run([real, '-o', '/dev/null']);
  assert.strictEqual(r.status, 0, r.stderr);
  assert.ok(fs.statSync('/dev/null').isCharacterDevice(), '/dev/null still a device');
  oneLine(run([real, '-o', '/dev/full']), 1, '/dev/full: cannot write: no space left on device');
});

test('standard output that cannot be written: one line, status 1', () => {
  const sh = (args) =>
      child_process.spawnSync('/bin/sh',
          ['-c', 'exec "$0" "$@" >/dev/full', process.execPath, cmd].concat(args),
              { encoding: 'utf8' });
  oneLine(sh([real, '--text']), 1, 'cannot write to standard output: no space left on device');
  if (haveUplot) oneLine(sh([real, '-o', '-']), 1,
      'cannot write to standard output: no space left on device');
});

test('100,000-character names take linear time in --text and the HTML', { skip: noUplot }, () => {
  // each was quadratic before: a 10,000-character name took 2.7 s, this size minutes
  const d = JSON.parse(fs.readFileSync(real, 'utf8'));
  const names = [' '.repeat(100000) + 'x', '/'.repeat(100000) + 'x', 'a'.repeat(100000)];
  const files = names.map((n, i) => {
    const c = JSON.parse(JSON.stringify(d));
    c.mappings[0].name = n;
    c.labels.forEach((l) => { l.name = n; });
    c.phases[0].name = n;
    c.run.command = [n, n];
    c.run.pid = 1000 + i;
    return write('long' + i + '.json', JSON.stringify(c));
  });
  const t0 = Date.now();
  const t = run(files.concat(['--text']), { maxBuffer: 1 << 28 });
  assert.strictEqual(t.status, 0, t.stderr);
  assert.ok(t.stdout.indexOf('a'.repeat(100000)) >= 0);
  const h = run(files.concat(['-o', path.join(tmp, 'long.html')]));
  assert.strictEqual(h.status, 0, h.stderr);
  assert.ok(Date.now() - t0 < 20000, (Date.now() - t0) + ' ms');
});
