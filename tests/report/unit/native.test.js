'use strict';
// vmtrace-native files: validation (one-line errors naming the key), the
// measured run's tables, and the command's handling of native files
// (alone, with one simulated run, two of them, with several runs).
const test = require('node:test');
const assert = require('node:assert');
const child_process = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const V = require('../../../reports/src/validate');
const N = require('../../../reports/src/native');
const text = require('../../../reports/src/text');
const fx = require('../fixtures');

const reports = path.join(__dirname, '..', '..', '..', 'reports');
const cmd = path.join(reports, 'vmtrace-report');
const haveUplot =
    fs.existsSync(path.join(process.env.VMTRACE_UPLOT_DIR ||
        path.join(reports, 'node_modules', 'uplot', 'dist'), 'uPlot.iife.min.js'));
const noUplot = haveUplot ? false : 'uPlot not installed (npm ci in reports/)';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vmtrace-report-native-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

const problem = fx.problem;
function mutate(fn) {
  const d = fx.makeNative({});
  fn(d);
  return JSON.stringify(d);
}

test('a vmtrace-native file is recognised by its format and accepted', () => {
  const d = V.parse(JSON.stringify(fx.makeNative({})));
  assert.ok(V.isNative(d));
  assert.ok(!V.isNative(fx.makeFile({ planned: false })));
  // a process whose exit was not seen has end_time null
  assert.strictEqual(problem(mutate((d) => { d.processes[1].end_time = null; })), null);
  // decimals where the spec says so
  assert.strictEqual(problem(mutate((d) => { d.start_time = 1795317411.123456; })), null);
});

test('missing keys are named by their path', () => {
  assert.strictEqual(problem(mutate((d) => { delete d.totals.faults.minor; })),
      'missing key totals.faults.minor');
  assert.strictEqual(problem(mutate((d) => { delete d.totals.rusage.maxrss_kib; })),
      'missing key totals.rusage.maxrss_kib');
  assert.strictEqual(problem(mutate((d) => { delete d.processes[1].mappings[0].pages_faulted; })),
      'missing key processes[1].mappings[0].pages_faulted');
  assert.strictEqual(problem(mutate((d) => { delete d.processes[0].comm; })),
      'missing key processes[0].comm');
  assert.strictEqual(problem(mutate((d) => { delete d.timeline.faults.major; })),
      'missing key timeline.faults.major');
  assert.strictEqual(problem(mutate((d) => { delete d.fault_sites; })), 'missing key fault_sites');
  assert.strictEqual(problem(mutate((d) => { delete d.command; })), 'missing key command');
});

test('wrong types and inconsistent timelines are refused', () => {
  assert.strictEqual(problem(mutate((d) => { d.start_time = '1795317411'; })),
      'start_time should be number, not string');
  assert.strictEqual(problem(mutate((d) => { d.processes[0].end_time = 'never'; })),
      'processes[0].end_time should be number or null, not string');
  assert.strictEqual(problem(mutate((d) => { d.totals.recorded = 1.5; })),
      'totals.recorded should be int, not number');
  assert.strictEqual(problem(mutate((d) => { d.command = ['ok', 3]; })),
      'command[1] should be string, not number');
  assert.strictEqual(problem(mutate((d) => { d.timeline.rss.pop(); })),
      'timeline.rss has 199 entries, timeline.t_ms has 200');
  assert.strictEqual(problem(mutate((d) => { d.timeline.faults.minor.push(1); })),
      'timeline.faults.minor has 201 entries, timeline.t_ms has 200');
  assert.strictEqual(problem(mutate((d) => { d.fault_sites[2].stack = 'main'; })),
      'fault_sites[2].stack should be array, not string');
});

test('an unknown version, a truncated file, another format', () => {
  assert.strictEqual(problem(mutate((d) => { d.version = 2; })),
      'unsupported vmtrace-native version 2 (this vmtrace-report reads version 1)');
  const s = JSON.stringify(fx.makeNative({}));
  assert.strictEqual(problem(s.slice(0, 700)), 'truncated: the JSON ends after 700 bytes');
  assert.strictEqual(problem('{"format": "perf-script", "version": 1}'),
      'not a vmtrace output file (format is "perf-script", not "vmtrace-out", ' +
          '"vmtrace-native", "vmtrace-sim" or "vmtrace-sim-tree")');
});

// A measured run worked out by hand: 2 processes, 5 samples.
function small() {
  const mm = (a, b) => ({ minor: a, major: b, total: a + b });
  return V.validate({
    format: 'vmtrace-native', version: 1, tool:
        { name: 'vmtrace-native', version: '0.1.0', kernel: '6.1.0-test' },
    options: { call_graph: 'fp', stack_depth: 8, stack_bytes: 0 }, page_size: 4096,
    command: ['./a.out', 'it\'s'], start_time: 100, end_time: 102.5, exit:
        { status: 'signal', signal: 11 },
    totals: { faults: mm(30, 2), recorded: 31, lost: 1, peak_resident_pages: 256, rusage:
        { minflt: 35, majflt: 2, maxrss_kib: 900 } },
    processes: [
      { pid: 7, ppid: 6, comm: 'a.out', execs: 1, start_time: 100, end_time: 102.5, faults:
          mm(25, 2), peak_resident_pages: 200,
        mappings: [
          { name: '/tmp/a.out', kind: 'file', start: 0x400000, end: 0x402000, faults: mm(2, 2),
              pages_faulted: 2 },
          { name: '', kind: 'anon', start: 0x7f0000000000, end: 0x7f0000100000, faults: mm(23, 0),
              pages_faulted: 20 }
        ] },
      { pid: 8, ppid: 7, comm: 'a.out', execs: 0, start_time: 101, end_time: null, faults: mm(5, 0),
          peak_resident_pages: 56,
        mappings: [{ name: '[stack]', kind: 'stack', start: 0x7ffd00000000, end: 0x7ffd00021000,
            faults: mm(5, 0), pages_faulted: 5 }] }
    ],
    timeline: { interval_ms: 500, t_ms: [500, 1000, 1500, 2000, 2500], wall_ms:
        [100500, 101000, 101500, 102000, 102500],
      rss: [10, 20, 250, 256, 100], faults: { minor: [5, 6, 7, 8, 4], major: [0, 1, 0, 0, 1] } },
    fault_sites: [{ 'class': 'minor', count: 23, stack: ['0x401000: main (a.c:3)'] }]
  });
}

test('the measured run summary', () => {
  const items = {};
  N.summary(small()).items.forEach(([k, v]) => { items[k] = v; });
  assert.strictEqual(items.command, "./a.out 'it'\\''s'");
  assert.strictEqual(items.exit, 'signal 11 (SIGSEGV)');
  assert.strictEqual(items.started, '1970-01-01 00:01:40 UTC (2.50 s natively)');
  assert.strictEqual(items.faults, '32 (30 minor, 2 major)');
  assert.strictEqual(items.recorded, '31 of 32 faults with a sample; 1 sample lost');
  assert.strictEqual(items['peak resident'], '256 (1 MiB), the tree\'s processes added up');
  assert.strictEqual(items['pages faulted'], '27 (108 KiB)'); // 2 + 20 + 5
  assert.strictEqual(items.rusage, 'minflt 35, majflt 2, maxrss 900 KiB');
  assert.strictEqual(items.processes, '2');
  assert.strictEqual(items.tool, 'vmtrace-native 0.1.0 (Linux 6.1.0-test)');
});

test('processes and mappings tables', () => {
  const p = N.processTable(small());
  assert.deepStrictEqual(
      p.rows.map((r) => [r.pid, r.started, r.lived, r.total, r.mappings, r.faulted]), [
    [7, 0, 2.5, 27, 2, 22],
    [8, 1, null, 5, 1, 5]
  ]);
  const m = N.mappingTable(small());
  assert.deepStrictEqual(m.columns.map((c) => c.key),
      ['pid', 'name', 'start', 'size', 'kind', 'faulted', 'total', 'minor', 'major']);
  assert.deepStrictEqual(m.rows.map((r) => [r.pid, r.name, r.size, r.total]), [
    [7, '/tmp/a.out', 8192, 4], [7, '[anon]', 1048576, 23], [8, '[stack]', 0x21000, 5]
  ]);
  // a pid is printed as ps prints it, without a thousands separator
  const col = (t, k) => t.columns.find((c) => c.key === k);
  assert.strictEqual(col(p, 'pid').fmt(18702), '18702');
  assert.strictEqual(col(p, 'ppid').fmt(18701), '18701');
  assert.strictEqual(col(m, 'pid').fmt(18702), '18702');
});

test('a process whose recording stopped at a set-ID exec: its unrecorded faults in the ' +
    'summary and a column of the processes table, none without one', () => {
  const T = require('../../../reports/src/table');
  const d = small();
  assert.strictEqual(N.summary(d).items.filter(([k]) => k === 'unrecorded').length, 0);
  assert.ok(!N.processTable(d).columns.some((c) => c.key === 'unrecorded'));
  d.processes[1].unrecorded = { since: 101.5, faults: 260 };
  d.totals.unrecorded = 260;
  assert.strictEqual(problem(JSON.stringify(d)), null);
  const items = {};
  N.summary(d).items.forEach(([k, v]) => { items[k] = v; });
  assert.strictEqual(items.unrecorded, '260 faults in 1 process the kernel stopped recording at ' +
      'the exec of a set-ID program (not in the figures above)');
  const p = N.processTable(d);
  const col = p.columns.find((c) => c.key === 'unrecorded');
  assert.deepStrictEqual(p.rows.map((r) => T.cellText(col, r)), ['', '260']);
  d.processes[0].unrecorded = { since: 100.5, faults: null, descendants: 0 };
  d.processes[1].unrecorded.descendants = 1;
  items.unrecorded = N.summary(d).items.find(([k]) => k === 'unrecorded')[1];
  assert.strictEqual(items.unrecorded, '260 faults and an unknown number in 2 processes the ' +
      'kernel stopped recording at the exec of a set-ID program and 1 process they started ' +
      'after (not in the figures above)');
  assert.deepStrictEqual(N.processTable(d).rows.map((r) => T.cellText(col, r)), ['unknown', '260']);
});

test('a process whose fork record was lost: ppid null is accepted and shown as unknown, ' +
    'with a note saying why', () => {
  const T = require('../../../reports/src/table');
  const d = small();
  assert.ok(!/ppid unknown/.test(N.processTable(d).note));
  d.processes[1].ppid = null;
  d.processes[1].comm = '';
  assert.strictEqual(problem(JSON.stringify(d)), null);
  const p = N.processTable(d);
  const col = p.columns.find((c) => c.key === 'ppid');
  assert.deepStrictEqual(p.rows.map((r) => T.cellText(col, r)), ['6', 'unknown']);
  assert.match(p.note, /ppid unknown: the kernel dropped the record of its fork/);
  d.processes[1].ppid = -1;
  assert.strictEqual(problem(JSON.stringify(d)),
      'processes[1].ppid should not be negative, not -1');
});

test('the timeline for --text: rows spread over the samples, each the peak and the faults ' +
    'of the samples since the previous row', () => {
  const t = N.timelineTable(small(), 3);
  // samples 0, 2, 4: faults of sample 0; of samples 1-2; of samples 3-4.
  // Resident: the most of those samples' (rss 10; 20, 250; 256, 100): the
  // 256 of sample 3, between the rows of samples 2 and 4, shows.
  assert.deepStrictEqual(t.rows, [
    { t: 500, rss: 10, minor: 5, major: 0 },
    { t: 1500, rss: 250, minor: 13, major: 1 },
    { t: 2500, rss: 256, minor: 12, major: 1 }
  ]);
  assert.strictEqual(t.note, '5 samples of 500 ms, 3 shown; each row stands for the samples ' +
      'since the previous row: the peak of resident pages in them, faults added up');
});

test('--text of a native file alone', () => {
  const s = text.render([{ name: 'native.7', data: small() }]);
  const heads = s.split('\n').filter((l) => /^== .* ==$/.test(l)).map((l) => l.slice(3, -3));
  assert.deepStrictEqual(heads,
      ['Measured run', 'Processes', 'Timeline', 'Mappings', 'Fault sites']);
  assert.match(s, /^vmtrace-native report: native\.7$/m);
});

// ---- the command -------------------------------------------------------------

function run(args) {
  return child_process.spawnSync(process.execPath, [cmd].concat(args),
      { encoding: 'utf8', cwd: tmp });
}
function write(name, data) {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, typeof data === 'string' ? data : JSON.stringify(data));
  return p;
}

test('two native files: one line, status 1, nothing written', () => {
  const a = write('n1', fx.makeNative({}));
  const b = write('n2', fx.makeNative({ seed: 3 }));
  const sim = write('s1', fx.makeFile({ planned: false }));
  const r = run([sim, a, b, '-o', path.join(tmp, 'two.html')]);
  assert.strictEqual(r.status, 1);
  assert.strictEqual(r.stderr, 'vmtrace-report: 2 vmtrace-native files (' + a + ', ' + b +
      '): a report shows at most one measured run\n');
  assert.strictEqual(r.stdout, '');
  assert.ok(!fs.existsSync(path.join(tmp, 'two.html')));
});

test('a native file with the files of two runs: one line, status 1', () => {
  const w = fx.writeAll(path.join(tmp, 'fx'));
  const r = run(w.tree.concat([w.native, '--text']));
  assert.strictEqual(r.status, 1);
  assert.strictEqual(r.stderr, 'vmtrace-report: comparing with ' + w.native +
      ' needs the vmtrace-out files of one run, not 2 (roots: pid 100, pid 200)\n');
  assert.strictEqual(r.stdout, '');
});

test('a bad native file: "vmtrace-report: FILE: problem", status 1', () => {
  const s = JSON.stringify(fx.makeNative({}));
  const cases = [
    [write('trunc.native', s.slice(0, 1234)), 'truncated: the JSON ends after 1234 bytes'],
    [write('nokey.native', mutate((d) => { delete d.totals.faults.minor; })),
        'missing key totals.faults.minor'],
    [write('v2.native', mutate((d) => { d.version = 2; })),
        'unsupported vmtrace-native version 2 (this vmtrace-report reads version 1)']
  ];
  cases.forEach(([file, msg]) => {
    const r = run([file, '--text']);
    assert.strictEqual(r.status, 1, r.stderr);
    assert.strictEqual(r.stderr, 'vmtrace-report: ' + file + ': ' + msg + '\n');
    assert.strictEqual(r.stdout, '');
  });
});

test('a native file alone and with one simulated run, as text and as HTML',
    { skip: noUplot }, () => {
  const nat = write('nat.json', fx.makeNative({}));
  const sim = write('sim.json', fx.makeFile({}));
  let r = run([nat, '--text']);
  assert.strictEqual(r.status, 0, r.stderr);
  assert.match(r.stdout, /^== Measured run ==$/m);
  r = run([sim, nat, '--text']);
  assert.strictEqual(r.status, 0, r.stderr);
  assert.match(r.stdout, /^== Simulated vs measured ==$/m);
  const out = path.join(tmp, 'cmp.html');
  r = run([sim, nat, '-o', out]);
  assert.strictEqual(r.status, 0, r.stderr);
  assert.match(r.stderr, /\(2 files, \d+ KiB\)/);
  const page = fs.readFileSync(out, 'utf8');
  assert.match(page,
      /<title>vmtrace report: synthetic \(pid 4242\), simulated vs measured<\/title>/);
  // the markup-like mapping name and comm are in the page only escaped
  assert.ok(page.indexOf('<img src=x') < 0 && page.indexOf('<b>synth</b>') < 0);
  assert.ok(page.indexOf('\\u003cimg src=x onerror=alert(1)\\u003e.so') >= 0);
  r = run([nat, '-o', out]);
  assert.strictEqual(r.status, 0, r.stderr);
  assert.match(fs.readFileSync(out, 'utf8'),
      /<title>vmtrace report: synthetic \(measured\)<\/title>/);
});
