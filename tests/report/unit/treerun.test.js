'use strict';
// vmtrace-sim --tree results in the report: each simulation's processes
// (faults, peak RSS, the OOM killer's victim: when, with what badness) and
// the exact curves of the merged stream, from figures chosen in the
// fixture (fixtures.makeTreeRun): the child (101, oom_score_adj 500) killed
// at +1.25 s, the tree's reference 11,000, badness 2,026 + 0 + 12 +
// 500 x (4,000 / 1000) = 4,038.
const test = require('node:test');
const assert = require('node:assert');
const treerun = require('../../../reports/src/treerun');
const text = require('../../../reports/src/text');
const V = require('../../../reports/src/validate');
const T = require('../../../reports/src/table');
const cli = require('../../../reports/src/cli');
const fx = require('../fixtures');

test('a --tree result is read as one', () => {
  const d = V.parse(JSON.stringify(fx.makeTreeRun()));
  assert.ok(V.isTreeResult(d) && !V.isOut(d) && !V.isSimResult(d));
});

test('a --tree result with a process without its pid is refused', () => {
  const d = fx.makeTreeRun();
  delete d.simulations[0].processes[1].pid;
  assert.throws(() => V.validate(d), /simulations\[0\]\.processes\[1\]\.pid/);
});

test('each process: faults, peak RSS, and the victim killed when, with its badness', () => {
  const t = treerun.treeRunTables(fx.makeTreeRun());
  assert.strictEqual(t.length, 1);
  const [par, ch] = t[0].rows;
  assert.deepStrictEqual(
      [par.pid, par.ppid, par.faults, par.rss_peak, par.end, par.killed_s, par.badness],
      [100, null, 3000, 3010, 'exit', null, null]);
  // the child: 1,100 minor + 19 major faults; killed at +1.25 s
  assert.deepStrictEqual(
      [ch.pid, ch.ppid, ch.adj, ch.faults, ch.major, ch.rss_peak, ch.end, ch.killed_s,
        ch.killed_ref, ch.badness, ch.by],
      [101, 100, 500, 1119, 19, 2026, 'oom-killed', 1.25, 11000, 4038, 100]);
  assert.strictEqual(t[0].title,
      'One memory for the tree: lru, 4,000 pages (15.6 MiB), swap none');
  // the adjustment: what the terms leave of the badness, 500 x 4,000 / 1000
  assert.ok(t[0].note.includes('OOM kill 1: pid 101 at +1.250000 s (reference 11,000 of the ' +
      'tree; pid 100 found no memory), badness 4,038 = rss 2,026 + swap 0 + page tables 12 + ' +
      '2,000 (oom_score_adj 500).'), t[0].note);
  assert.ok(t[0].note.startsWith('12,345 references of the tree, 0 evictions'), t[0].note);
  const txt = T.toText(t[0]);
  assert.match(txt, new RegExp('101 +100 +500 +3,345 +1,119 +1,100 +19 +2,026 \\(7\\.91 MiB\\) ' +
      '+oom-killed +\\+1\\.250000 s +11,000 +4,038'));
});

test('a victim that had exec\'d: only the image the kill ended shows it', () => {
  // vmtrace-sim --tree of `sh -c 'seq | sort'` with sort killed: its pid's
  // first image (ended by exec) came before it; it was not killed
  const d = fx.makeTreeRun();
  const ps = d.simulations[0].processes;
  ps.splice(1, 0, { trace: 't.101.exec1', pid: 101, ppid: 100, exec_image: false,
    task_order: 2, oom_score_adj: 0, references: 500, end: 'exec', faults: { anon: 20 },
    minor: 20, major: 0, rss_peak: 129 });
  ps[2].trace = 't.101';
  ps[2].exec_image = true;
  const rows = treerun.treeRunTables(d)[0].rows;
  assert.deepStrictEqual(rows.map((r) => [r.pid, r.end, r.killed_s, r.killed_ref, r.badness]),
      [[100, 'exit', null, null, null], [101, 'exec', null, null, null],
        [101, 'oom-killed', 1.25, 11000, 4038]]);
});

test('a negative oom_score_adj lowers the badness', () => {
  const k = { badness: 38, rss: 2026, swap: 0, page_tables: 12, oom_score_adj: -500 };
  assert.strictEqual(treerun.badnessText(k),
      '38 = rss 2,026 + swap 0 + page tables 12 - 2,000 (oom_score_adj -500)');
});

test('the exact curves: miss ratio at the run\'s curve sizes', () => {
  const c = treerun.treeCurveTable(fx.makeTreeRun());
  // LRU's steps (1: 10,000, 50: 8,000, 4,000: 5,000) and OPT's (1: 10,000,
  // 20: 7,000, 3,000: 5,000) over 10,000 references
  assert.deepStrictEqual(c.rows.map((r) => [r.pages, r.lru, r.opt]),
      [[1, 1, 1], [100, 0.8, 0.7], [5000, 0.5, 0.5]]);
  const d = fx.makeTreeRun();
  delete d.curves;
  assert.strictEqual(treerun.treeCurveTable(d), null);
});

test('--text shows the tree run alone', () => {
  const out = text.render([{ name: 'tree.json', data: fx.makeTreeRun() }]);
  assert.match(out, /vmtrace-sim --tree: tree\.json/);
  assert.match(out, /== One memory for the tree: lru, 4,000 pages/);
  assert.match(out, /== Miss-ratio curves of the tree's merged stream ==/);
  assert.match(out, /100 +0\.8000 +0\.7000/);
});

test('the command line takes a --tree result without vmtrace-out files', () => {
  let out = '';
  let err = '';
  const io = { stdout: { write: (s) => { out += s; } }, stderr: { write: (s) => { err += s; } },
    readInput: () => ({ text: JSON.stringify(fx.makeTreeRun()), id: null }) };
  const rc = cli.main(['--text', 'tree.json'], null, io);
  assert.strictEqual(rc, 0, err);
  assert.match(out, /4,038/);
});
