'use strict';
const test = require('node:test');
const assert = require('node:assert');
const tree = require('../../../reports/src/tree');
const fx = require('../fixtures');

function file(name, pid, ppid, extra) {
  const d = fx.makeFile(
      Object.assign({ pid: pid, ppid: ppid, planned: false, xss: false, scale: 0.1 }, extra || {}));
  return { name: name, data: d };
}

test('files are joined by ppid into a tree; exec images are one process', () => {
  const files = fx.treeFiles();
  const t = tree.build(files);
  assert.strictEqual(t.roots.length, 2, 'two runs');
  const flat = tree.flatten(t.roots);
  assert.deepStrictEqual(flat.map((n) => n.pid + ':' + n.depth),
      ['100:0', '101:1', '102:1', '103:2', '200:0']);
  const p101 = flat.find((n) => n.pid === 101);
  assert.strictEqual(p101.images.length, 2);
  assert.strictEqual(files[p101.images[0]].data.run.exit.status, 'exec',
      'the exec image comes first');
  const root = t.roots[0];
  assert.strictEqual(root.total.processes, 4);
  const sum = flat.slice(0, 4).reduce((s, n) => s + n.self.faults, 0);
  assert.strictEqual(root.total.faults, sum);
  assert.strictEqual(p101.self.faults, files[p101.images[0]].data.totals.faults.total +
      files[p101.images[1]].data.totals.faults.total);
});

test('children are ordered by fork time', () => {
  const files = [
    file('p', 10, 1, { start_time: 1000 }),
    file('late', 12, 10, { fork_time: 900, start_time: 1001 }),
    file('early', 11, 10, { fork_time: 100, start_time: 1002 })
  ];
  const t = tree.build(files);
  assert.deepStrictEqual(t.roots[0].children.map((c) => c.pid), [11, 12]);
});

test('run.parent_file wins over ppid', () => {
  const files = [
    file('out/vmtrace.out.10', 10, 1, { start_time: 1000 }),
    file('out/vmtrace.out.20', 20, 1, { start_time: 1000 }),
    file('out/vmtrace.out.30', 30, 10,
        { start_time: 1001, parent_file: '/elsewhere/vmtrace.out.20' })
  ];
  const t = tree.build(files);
  const p20 = t.nodes.find((n) => n.pid === 20);
  assert.deepStrictEqual(p20.children.map((c) => c.pid), [30]);
});

test('a cycle of ppids does not hang or lose processes', () => {
  const files = [file('a', 1, 2), file('b', 2, 1), file('c', 3, 3)];
  const t = tree.build(files);
  assert.strictEqual(tree.flatten(t.roots).length, 3);
  assert.ok(t.roots.length >= 1);
});

test('several runs of one program are grouped by command', () => {
  const files =
      [file('a', 1, 0, { command: ['./x'] }), file('b', 2, 0, { command: ['./x'] }),
          file('c', 3, 0, { command: ['./y'] })];
  const t = tree.build(files);
  const g = tree.runGroups(files, t.roots);
  assert.deepStrictEqual(g.map((x) => x.command + '*' + x.roots.length), ['./x*2', './y*1']);
});

test('the tree table lists processes depth-first with subtree totals', () => {
  const files = fx.treeFiles();
  const t = tree.build(files);
  const tab = tree.treeTable(files, t);
  assert.deepStrictEqual(tab.rows.map((r) => r.pid), [100, 101, 102, 103, 200]);
  assert.strictEqual(tab.rows[0].t_processes, 4);
  assert.strictEqual(tab.rows[2].t_processes, 2);
  const pidCol = tab.columns[0];
  assert.strictEqual(pidCol.fmt(103, tab.rows[3]), '    └ 103');
  assert.match(tab.rows[1].command, /\/bin\/worker a/);
  assert.strictEqual(tab.rows[3].exit, 'exit 0');
  assert.strictEqual(tab.rows[2].exit, 'signal 11 (SIGSEGV)');
});
