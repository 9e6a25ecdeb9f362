'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const path = require('path');
const V = require('../../../reports/src/validate');
const fx = require('../fixtures');

const realText = fs.readFileSync(path.join(__dirname, '..', 'data', 'phases.vmtrace.out'), 'utf8');

const problem = fx.problem;

function mutate(fn) {
  const d = JSON.parse(realText);
  fn(d);
  return JSON.stringify(d);
}

test('a real output file of the phases workload is accepted', () => {
  const d = V.parse(realText);
  assert.strictEqual(d.format, 'vmtrace-out');
  assert.strictEqual(d.run.command[0], 'tests/workloads/phases');
});

test('synthetic files with every planned section are accepted', () => {
  assert.strictEqual(problem(JSON.stringify(fx.makeFile({}))), null);
  fx.treeFiles().forEach((f) => assert.strictEqual(problem(JSON.stringify(f.data)), null, f.name));
});

test('a truncated file is reported as truncated', () => {
  assert.match(problem(realText.slice(0, 5000)), /^truncated: the JSON ends after 5000 bytes$/);
  assert.match(problem(realText.slice(0, 1)), /^truncated/);
});

test('corrupt JSON is reported with its line and column', () => {
  assert.match(problem('{"format": "vmtrace-out",\n  "version": 1 x}'),
      /^not valid JSON at line 2, column \d+$/);
});

test('empty, binary and non-JSON files are not vmtrace output', () => {
  assert.match(problem(''), /^empty file/);
  assert.match(problem('   \n'), /^empty file/);
  assert.match(problem('\x7fELF\x02\x01'), /not a vmtrace output file \(not JSON\)/);
  assert.match(problem('events: Ir\n'), /not JSON/);
});

// vmtrace's other files, read by mistake, are named (until 2026-12-06 each
// was only 'not a vmtrace output file (not JSON)'): the page trace, whose
// header begins with the magic VMTRACE and a version (docs/output-format.md),
// and the Cachegrind- and Callgrind-format files.
test('a page trace and the profiler files are named for what they are', () => {
  assert.match(problem('VMTRACE\x03\x80\x00\x00\x00{"format": "vmtrace-trace"'),
      /^a vmtrace page trace \(--trace-out-file\), not an output file: vmtrace-sim replays it/);
  assert.match(problem('desc: vmtrace 0.1.0: page faults\ncmd: ./a\nevents: MinFlt\n'),
      /^a Cachegrind- or Callgrind-format file \(--cg-out-file, --callgrind-out-file\)/);
  assert.match(problem('# callgrind format\nversion: 1\ncreator: vmtrace-0.1.0\n'),
      /^a Cachegrind- or Callgrind-format file/);
  assert.match(problem('events: Ir\n'), /^not a vmtrace output file \(not JSON\)$/);
});

test('other formats and versions are refused', () => {
  assert.match(problem('[1,2]'), /JSON is array, not an object/);
  assert.match(problem('{}'), /no "format" key/);
  assert.match(problem('{"format":"cachegrind"}'), /format is "cachegrind", not "vmtrace-out"/);
  assert.match(problem(mutate((d) => { d.version = 2; })),
      /^unsupported version 2 \(this vmtrace-report reads version 1\)$/);
  assert.match(problem(mutate((d) => { d.version = '1'; })), /unsupported version "1"/);
  assert.match(problem(mutate((d) => { delete d.version; })), /missing key version/);
});

test('missing or mistyped required keys are named', () => {
  assert.strictEqual(problem(mutate((d) => { delete d.run.pid; })), 'missing key run.pid');
  assert.strictEqual(problem(mutate((d) => { delete d.mappings; })), 'missing key mappings');
  assert.strictEqual(problem(mutate((d) => { delete d.totals.faults.anon; })),
      'missing key totals.faults.anon');
  assert.strictEqual(problem(mutate((d) => { d.mappings[3].start = '0x1000'; })),
      'mappings[3].start should be int, not string');
  assert.strictEqual(problem(mutate((d) => { d.run.command = 'prog'; })),
      'run.command should be array, not string');
  assert.strictEqual(problem(mutate((d) => { d.phases[0].faults = null; })),
      'phases[0].faults should be object, not null');
});

test('malformed planned sections are refused, absent ones are fine', () => {
  const base = fx.makeFile({});
  const bad = (fn) =>
      { const d = JSON.parse(JSON.stringify(base)); fn(d); return problem(JSON.stringify(d)); };
  assert.strictEqual(
      bad((d) => {
        delete d.timeline; delete d.heat; delete d.fault_sites; delete d.simulations;
      }), null);
  assert.strictEqual(bad((d) => { d.timeline = null; }), null);
  assert.match(bad((d) => { d.timeline.rss.heap.pop(); }),
      /^timeline.rss.heap has 95 entries, timeline.t has 96$/);
  assert.match(bad((d) => { d.timeline.wss[1].data = 5; }),
      /timeline.wss\[1\].data should be array/);
  assert.match(bad((d) => { d.heat.rows[0].cells.push([d.heat.columns, 1]); }),
      /^heat.rows\[0\].cells\[\d+\] should be \[first column, value...\] inside \d+ columns$/);
  assert.match(bad((d) => { d.heat.last_epochs = d.heat.column_epochs + 1; }),
      /^heat.last_epochs is \d+, above column_epochs \d+$/);
  assert.match(bad((d) => { d.fault_sites[0].stack = [1]; }),
      /fault_sites\[0\].stack\[0\] should be string/);
  assert.match(bad((d) => { delete d.simulations[2].ram_pages; }),
      /missing key simulations\[2\].ram_pages/);
});

test('a byte-order mark is tolerated', () => {
  assert.strictEqual(problem('\ufeff' + realText), null);
});

// ---- values no view could show (issue 10): each a one-line error ---------------

test('counts are exact, non-negative integers', () => {
  // 2^53 + 1 is read as 2^53 by JSON.parse: no longer exact
  const big = mutate((d) => { d.totals.pages_touched = 'BIG'; }).replace('"BIG"',
      '9007199254740993');
  assert.strictEqual(problem(big),
      'totals.pages_touched should be below 2^53, not 9007199254740992');
  assert.strictEqual(problem(mutate((d) => { d.mappings[3].pages_touched = -1; })),
      'mappings[3].pages_touched should not be negative, not -1');
  assert.strictEqual(problem(mutate((d) => { d.totals.faults.anon = -6157; })),
      'totals.faults.anon should not be negative, not -6157');
  assert.strictEqual(problem(mutate((d) => { d.totals.file_pmd_pages = 'x'; })),
      'totals.file_pmd_pages should be int, not string');
  assert.strictEqual(problem(mutate((d) => { d.totals.shmem_pmd_pages = -512; })),
      'totals.shmem_pmd_pages should not be negative, not -512');
  assert.strictEqual(problem(mutate((d) => { d.run.instructions = 1e300; })),
      'run.instructions should be below 2^53, not 1e+300');
  assert.strictEqual(problem(mutate((d) => { d.mappings[0].start = 0.5; })),
      'mappings[0].start should be int, not number');
});

test('page_size is a power of two above 0', () => {
  assert.strictEqual(problem(mutate((d) => { d.page_size = 0; })),
      'page_size should be a power of two, not 0');
  assert.strictEqual(problem(mutate((d) => { d.page_size = -4096; })),
      'page_size should not be negative, not -4096');
  assert.strictEqual(problem(mutate((d) => { d.page_size = 3000; })),
      'page_size should be a power of two, not 3000');
  assert.strictEqual(problem(mutate((d) => { d.page_size = 65536; })), null);
});

test('an empty fault-class list is refused', () => {
  assert.strictEqual(problem(mutate((d) => { d.fault_classes = []; })),
      'fault_classes is empty: a vmtrace output file lists its fault classes');
});

test('times must fit a date: start_time in seconds, wall_ms in milliseconds', () => {
  // ECMAScript dates reach 8.64e15 ms either side of 1970: 8.64e12 s
  assert.strictEqual(problem(mutate((d) => { d.run.start_time = 1e300; })),
      'run.start_time should be seconds since 1970 (at most 8640000000000), not 1e+300');
  assert.strictEqual(problem(mutate((d) => { d.run.end_time = -8.7e12; })),
      'run.end_time should be seconds since 1970 (at most 8640000000000), not -8700000000000');
  assert.strictEqual(problem(mutate((d) => { d.run.start_time = 8.64e12; })), null);
  const f = fx.makeFile({});
  f.timeline.wall_ms[3] = 8.64e15 + 1;
  assert.strictEqual(problem(JSON.stringify(f)),
      'timeline.wall_ms[3] should be a number from 0 to 8640000000000000, not 8640000000000001');
});

test('series hold finite counts; heat cells too; epoch above 0', () => {
  const bad = (fn) =>
      { const d = fx.makeFile({}); fn(d); return problem(
          JSON.stringify(d).replace('"INF"', '1e400')); };
  assert.strictEqual(bad((d) => { d.timeline.t[0] = 'INF'; }),
      'timeline.t[0] should be a number from 0 to 2^53, not Infinity');
  assert.strictEqual(bad((d) => { d.timeline.rss.heap[5] = -3; }),
      'timeline.rss.heap[5] should be a number from 0 to 2^53, not -3');
  assert.strictEqual(bad((d) => { d.heat.rows[1].cells[0][1] = 'x'; }),
      'heat.rows[1].cells[0][1] should be a number');
  assert.strictEqual(bad((d) => { d.heat.epoch = 0; }),
      'heat.epoch should be above 0, not 0');
});

test('sample times run forward (equal ones are fine: a fork\'s sample and the next)', () => {
  const d = fx.makeFile({});
  d.timeline.t[7] = d.timeline.t[6];
  assert.strictEqual(problem(JSON.stringify(d)), null);
  d.timeline.t[12] = d.timeline.t[11] - 1;
  assert.strictEqual(problem(JSON.stringify(d)), 'timeline.t[12] is ' + d.timeline.t[12] +
      ', before timeline.t[11] ' + d.timeline.t[11] + ': samples should be in time order');
  const n = fx.makeNative({});
  n.timeline.t_ms[2] = 0;
  assert.strictEqual(problem(JSON.stringify(n)), 'timeline.t_ms[2] is 0, before ' +
      'timeline.t_ms[1] ' + n.timeline.t_ms[1] + ': samples should be in time order');
});

test('deeply nested values are refused before JSON.parse, at their position', () => {
  const head = '{"format": "vmtrace-out", "version": 1, "tool": ';
  const deep = head + '['.repeat(100000) + ']'.repeat(100000) + '}';
  // "{" is level 1, so the 64th "[" (offset head.length + 63) is level 65
  assert.strictEqual(problem(deep), 'nested more than 64 levels deep at line 1, column ' +
      (head.length + 64) + ': not a vmtrace output file');
  // brackets inside strings do not count
  assert.strictEqual(
      problem(mutate((d) => { d.run.command = ['['.repeat(1000) + '{'.repeat(1000)]; })), null);
  const nested = JSON.parse(realText);
  let v = 1;
  for (let i = 0; i < 62; i++) v = [v];
  nested.options.x = v; // levels: the file 1, options 2, the arrays 3..64
  assert.strictEqual(problem(JSON.stringify(nested)), null);
  nested.options.x = [v];
  assert.match(problem(JSON.stringify(nested)),
      /^nested more than 64 levels deep at line 1, column \d+: not a vmtrace output file$/);
});

test('a megabyte of blanks in a corrupt file is read in linear time', () => {
  const t0 = Date.now();
  // quadratic (/\s+$/ on the text) this took minutes
  assert.strictEqual(problem('{"format": "vmtrace-out",' + ' '.repeat(1 << 20) + 'x'),
      'not valid JSON at line 1, column ' + (26 + (1 << 20)));
  assert.strictEqual(problem('{"format": "vmtrace-out",' + ' '.repeat(1 << 20)),
      'truncated: the JSON ends after ' + (25 + (1 << 20)) + ' bytes');
  assert.ok(Date.now() - t0 < 5000, (Date.now() - t0) + ' ms');
});

// One shard of a vmtrace-sim run of N > 1 shards holds only its slice of
// the jobs (docs/vmtrace-sim.md, Scale-out): until 2026-12-06 it was drawn
// as the whole run's curves and simulations, those of the other shards
// missing without a word.  A whole run (1 of 1), and what merge writes, is
// read as before.
test('a shard of a vmtrace-sim run of several is refused: merge first', () => {
  const sim = fx.makeSimResult();
  assert.strictEqual(problem(JSON.stringify(sim)), null);
  sim.shard = { k: 2, n: 3, jobs: 2 };
  assert.strictEqual(problem(JSON.stringify(sim)), 'shard 2 of 3 of a vmtrace-sim run, which ' +
    'holds only its slice of the jobs: join the 3 shards first (vmtrace-sim merge ' +
    '--json=FILE SHARD...)');
  const tree = fx.makeTreeRun();
  assert.strictEqual(problem(JSON.stringify(tree)), null);
  tree.shard = { k: 1, n: 2 };
  assert.match(problem(JSON.stringify(tree)), /^shard 1 of 2 of a vmtrace-sim run, /);
});
