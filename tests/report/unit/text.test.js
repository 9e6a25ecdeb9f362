'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const path = require('path');
const text = require('../../../reports/src/text');
const V = require('../../../reports/src/validate');
const fx = require('../fixtures');

const real = V.parse(
    fs.readFileSync(path.join(__dirname, '..', 'data', 'phases.vmtrace.out'), 'utf8'));

function headings(s) {
  return s.split('\n').filter((l) => /^== .* ==$/.test(l)).map((l) => l.slice(3, -3));
}

test('a real run: summary, classes, page tables, mappings, labels, phases', () => {
  const s = text.render([{ name: 'vmtrace.out.1', data: real }]);
  assert.deepStrictEqual(headings(s),
      ['Run', 'Faults by class', 'Page tables', 'Mappings', 'Labels', 'Labels by phase', 'Phases']);
  assert.match(s, /^vmtrace report: vmtrace.out.1$/m);
  assert.match(s, /^ {2}instructions {7}2,765,314$/m);
  assert.match(s, /^ {2}array +0x000004a2c000-0x000005a2c000 +16 MiB +4,096 +6,144 +6,144/m);
});

test('planned sections appear when present', () => {
  const s = text.render([{ name: 's', data: fx.makeFile({}) }]);
  assert.deepStrictEqual(headings(s),
      ['Run', 'Faults by class', 'Page tables', 'Mappings', 'Labels', 'Labels by phase', 'Phases',
    'Timeline', 'Heatmap: address × time', 'Invalid accesses', 'Fault sites', 'Policy comparison']);
  assert.match(s, /96 samples of 1,041,667 instructions, 20 shown/);
  assert.match(s, /0 +100M instructions$/m);
});

test('the heatmap text\'s axis ends where the run did (a short child: 743, not 4.1k)', () => {
  const d = { run: { instructions: 743 }, mappings: [{ id: 1, name: '[anon]', kind: 'anon' }],
    heat: { epoch: 4096, column_epochs: 1, columns: 1, last_epochs: 1, chunk_pages: 1,
      rows: [{ start: 0, end: 4096, mapping: 1, cells: [[0, 1]] }] } };
  const s = text.heatmapText(d, 40, 10);
  assert.match(s, /× 743 instructions;/);
  assert.match(s, /0 +743 instructions$/m);
});

test('the heatmap text has one bordered line per row block', () => {
  const d = fx.makeFile({});
  const s = text.heatmapText(d, 40, 10);
  const lines = s.split('\n').filter((l) => /\|.*\|$/.test(l));
  assert.strictEqual(lines.length, 10);
  lines.forEach((l) => assert.strictEqual(l.replace(/^.*?\|/, '').length, 41));
});

// Eight heatmap rows: a locale file (row 0, never referenced), liblzma's
// code (rows 1-3, referenced in every bucket), the heap (rows 4-7, 1 page a
// bucket).  In 2 lines of 4 rows the first holds the locale file's row and
// liblzma's three: it is named after liblzma (all the heat), "+1" for the
// other; the second holds the heap alone.  In 4 lines of 2 rows: the locale
// file and liblzma's first row share line 0 (liblzma: the heat), liblzma
// alone begins nowhere in line 1 (blank: it continues), the heap begins on
// line 2 and continues on line 3 (blank).
function mergedRows() {
  const PG = 4096;
  const maps = [
    { id: 1, name: '/usr/lib/locale/C.utf8/LC_CTYPE', kind: 'file', start: 0x100000 },
    { id: 2, name: 'liblzma.so.5', kind: 'text', start: 0x200000 },
    { id: 3, name: '[heap]', kind: 'heap', start: 0x300000 }
  ];
  const rowsOf = [[1, 1], [2, 3], [3, 4]];
  const rows = [];
  rowsOf.forEach(([id, n]) => {
    const m = maps[id - 1];
    for (let i = 0; i < n; i++) {
      rows.push({ start: m.start + i * PG, end: m.start + (i + 1) * PG, mapping: id });
    }
  });
  // 4 columns of one epoch of 1000 instructions; liblzma's and the heap's
  // rows referenced in every epoch (1 page-epoch a column), LC_CTYPE never
  rows.forEach((r) => { r.cells = r.mapping === 1 ? [] : [[0, 1, 1, 1, 1]]; });
  return {
    run: { instructions: 4000 },
    mappings: maps.map((m) => ({ id: m.id, name: m.name, kind: m.kind })),
    heat: { epoch: 1000, column_epochs: 1, columns: 4, last_epochs: 1, chunk_pages: 1,
      rows: rows }
  };
}

function heatLabels(s) {
  return s.split('\n').filter((l) => /\|.*\|$/.test(l))
      .map((l) => l.replace(/\|.*$/, '').trim().replace(/^0x[0-9a-f]+ ?/, ''));
}

test('a merged heatmap line is named by what is in it', () => {
  const d = mergedRows();
  assert.deepStrictEqual(heatLabels(text.heatmapText(d, 4, 2)), ['liblzma.so.5 +1', '[heap]']);
  assert.deepStrictEqual(heatLabels(text.heatmapText(d, 4, 4)),
      ['liblzma.so.5 +1', '', '[heap]', '']);
  // without any heat, the mapping with the most rows in the line
  d.heat.rows.forEach((r) => { r.cells = []; });
  assert.deepStrictEqual(heatLabels(text.heatmapText(d, 4, 2)), ['liblzma.so.5 +1', '[heap]']);
  // one row each: every line names its own mapping
  assert.deepStrictEqual(heatLabels(text.heatmapText(d, 4, 8)),
      ['…/LC_CTYPE', 'liblzma.so.5', '', '', '[heap]', '', '', '']);
});

test('several files: the process tree first, then each process', () => {
  const s = text.render(fx.treeFiles());
  assert.strictEqual(headings(s)[0], 'Processes');
  assert.match(s, /2 runs of \.\/server --workers=2/);
  assert.strictEqual((s.match(/^#### pid /mg) || []).length, 6);
  assert.match(s, /^#### pid 101: \/bin\/worker a/m);
});

test('control characters in names are made visible', () => {
  const d = fx.makeFile({ planned: false });
  d.mappings[0].name = '/tmp/\x1b]0;pwned\x07';
  const s = text.render([{ name: 'evil\x1b[2J', data: d }]);
  // eslint-disable-next-line no-control-regex -- the control characters are the point
  assert.ok(!/\x1b|\x07/.test(s));
  assert.match(s, /\\x1b\]0;pwned\\x07/);
});

// ld's command line under gcc runs to a thousand columns: every row of the
// process tables was padded to it, their figures pushed off the screen
// (make -j2: rows of 1,416 columns). A command is cut to 60 columns with
// '…' there; the tree's "(2 images, exec)" stays, and each process's own
// heading keeps the whole line.
test('a long command line is cut in the process tables, whole in its heading', () => {
  const files = fx.treeFiles();
  const argv = ['/usr/bin/ld', '-plugin'].concat(
      Array.from({ length: 80 }, (_, i) => '/usr/lib/gcc/x86_64-linux-gnu/12/obj' + i + '.o'));
  files[2].data.run.command = argv;
  const whole = argv.join(' ');
  const s = text.render(files);
  const cut = whole.slice(0, 59) + '…';
  const rows = s.split('\n').filter((l) => l.includes('/usr/bin/ld -plugin'));
  // the tree's row, the tree memory's row, the process's heading and its
  // Run section's command line
  assert.strictEqual(rows.length, 4, rows.join('\n'));
  assert.ok(rows[0].includes(cut + ' (2 images, exec)'), rows[0]);
  assert.ok(rows[1].includes(cut + ' '), rows[1]);
  assert.ok(rows[2].startsWith('#### pid 101: ' + whole + '  ['), rows[2].slice(0, 80));
  assert.match(rows[3], /^ {2}command +\/usr\/bin\/ld -plugin .*obj79\.o$/);
  const widest = Math.max(...s.split('\n').filter((l) => !l.includes(whole))
      .map((l) => l.length));
  assert.ok(widest < 400, 'widest line ' + widest);
});

test('clip cuts by terminal columns', () => {
  const F = require('../../../reports/src/format');
  assert.strictEqual(F.clip('abcdef', 6), 'abcdef');
  assert.strictEqual(F.clip('abcdefg', 6), 'abcde…');
  assert.strictEqual(F.clip('数据数据', 6), '数据…');
  assert.strictEqual(F.width(F.clip('数据数据数据', 6)), 5);
});
