'use strict';
const test = require('node:test');
const assert = require('node:assert');
const T = require('../../../reports/src/table');
const M = require('../../../reports/src/model');
const dom = require('../../../reports/src/dom');
const fx = require('../fixtures');
const { Document } = require('./fakedom');

const spec = {
  id: 't', title: 'T',
  columns: [
    { key: 'name', title: 'name', num: false },
    { key: 'count', title: 'n', num: true, fmt: (v) => (v === null ? '' : String(v)) }
  ],
  rows: [
    { name: 'b', count: 10 }, { name: 'a', count: 2 }, { name: 'c', count: null },
        { name: 'a', count: 30 }
  ]
};

test('sortRows sorts numbers numerically, empty values last both ways, stably', () => {
  const n = spec.columns[1];
  assert.deepStrictEqual(T.sortRows(spec.rows, n, false).map((r) => r.count), [2, 10, 30, null]);
  assert.deepStrictEqual(T.sortRows(spec.rows, n, true).map((r) => r.count), [30, 10, 2, null]);
  const name = spec.columns[0];
  assert.deepStrictEqual(T.sortRows(spec.rows, name, false).map((r) => r.name + r.count),
      ['a2', 'a30', 'b10', 'cnull']);
  assert.deepStrictEqual(T.sortRows(spec.rows, name, true).map((r) => r.name + r.count),
      ['cnull', 'b10', 'a2', 'a30']);
  assert.deepStrictEqual(spec.rows.map((r) => r.name), ['b', 'a', 'c', 'a'],
      'the input is not changed');
});

test('toText aligns columns, numbers to the right', () => {
  const s = T.toText(
      { id: 'x', title: 'x', columns: spec.columns, rows:
          [{ name: 'long name', count: 5 }, { name: 'x', count: 12345 }] });
  assert.strictEqual(s, [
    'name           n',
    'long name      5',
    'x          12345'
  ].join('\n'));
});

test('toText prints stacks under their row and makes control characters visible', () => {
  const s = T.toText({
    id: 'x', title: 'x',
    columns: [{ key: 'c', title: 'class', num: false },
        { key: 'stack', title: 'stack', stack: true }],
    rows: [{ c: 'anon\x1b[2J', stack: ['0x1: f (a.c:1)', '0x2: main'] }]
  });
  assert.strictEqual(s, 'class\nanon\\x1b[2J\n      0x1: f (a.c:1)\n      0x2: main');
});

test('render builds a table whose cells are text nodes, markup stays text', () => {
  const doc = new Document();
  const d = fx.makeFile({});
  const el = T.render(doc, M.mappingTable(d));
  const tds = el.all('td');
  assert.ok(tds.length > 0);
  assert.strictEqual(el.all('img').length, 0);
  const xss = tds.filter((td) => td.textContent === fx.XSS_SO);
  assert.strictEqual(xss.length, 1, 'the XSS mapping name is one cell of text');
  assert.ok(xss[0].childNodes.every((c) => c.nodeType === 3));
});

test('clicking a header sorts by it, clicking again reverses', () => {
  const doc = new Document();
  const el = T.render(doc, spec);
  const ths = el.all('th');
  const col = () => el.all('tbody')[0].all('tr').map((tr) => tr.all('td')[1].textContent);
  ths[1].click();
  assert.deepStrictEqual(col(), ['30', '10', '2', ''], 'numbers sort descending first');
  assert.strictEqual(ths[1].getAttribute('aria-sort'), 'descending');
  ths[1].click();
  assert.deepStrictEqual(col(), ['2', '10', '30', '']);
  assert.strictEqual(ths[1].getAttribute('aria-sort'), 'ascending');
  assert.strictEqual(ths[0].getAttribute('aria-sort'), 'none');
  ths[0].click();
  assert.deepStrictEqual(el.all('tbody')[0].all('tr').map((tr) => tr.all('td')[0].textContent),
      ['a', 'a', 'b', 'c']);
});

test('render with a limit shows a button for the remaining rows', () => {
  const doc = new Document();
  const el = T.render(doc, spec, { limit: 2 });
  assert.strictEqual(el.all('tbody')[0].all('tr').length, 2);
  const btn = el.all('button')[0];
  assert.match(btn.textContent, /show all 4 rows/);
  btn.click();
  assert.strictEqual(el.all('tbody')[0].all('tr').length, 4);
});

test('stack cells are a details element with the frames as text', () => {
  const doc = new Document();
  const el = T.render(doc, M.faultSiteTable(fx.makeFile({})));
  const det = el.all('details');
  assert.ok(det.length > 0);
  assert.ok(el.all('pre').some((p) => p.textContent.indexOf(fx.XSS_FRAME) >= 0));
  assert.strictEqual(el.all('img').length, 0);
});

test('an empty table says so', () => {
  const doc = new Document();
  const el = T.render(doc, Object.assign({}, spec, { rows: [] }), { empty: 'no labels' });
  assert.strictEqual(el.textContent, 'no labels');
});

test('dom.h refuses event-handler attributes and foreign URLs', () => {
  const doc = new Document();
  assert.throws(() => dom.h(doc, 'div', { onclick: 'x()' }), /refusing attribute onclick/);
  assert.throws(() => dom.h(doc, 'a', { href: 'javascript:alert(1)' }), /refusing href/);
  assert.throws(() => dom.h(doc, 'img', { src: 'http://example.invalid/x.png' }), /refusing src/);
  const a = dom.h(doc, 'a', { href: '#sec-x' }, ['<b>', 1]);
  assert.strictEqual(a.textContent, '<b>1');
  assert.strictEqual(a.all().length, 0);
});

test('text tables align names by the columns a terminal gives them (wide CJK and emoji ' +
    'two, combining marks none)', () => {
  const s = {
    id: 'w', title: 'W',
    columns: [{ key: 'name', title: 'name', num: false },
      { key: 'n', title: 'n', num: true, fmt: String }, { key: 'k', title: 'kind', num: false }],
    rows: [{ name: '数据', n: 1, k: 'a' }, { name: 'e\u0301x', n: 22, k: 'b' },
      { name: '😀', n: 3, k: 'c' }, { name: 'abcd', n: 4, k: 'd' }]
  };
  // 数据 is 4 columns wide, é (e + U+0301) and x 2, 😀 2, abcd 4: every
  // row's name is padded to 4 columns, then two spaces, the count right-aligned in 2.
  assert.strictEqual(T.toText(s), [
    'name   n  kind',
    '数据   1  a',
    'e\u0301x    22  b',
    '😀     3  c',
    'abcd   4  d'
  ].join('\n'));
});

// make -j2's tree: ld's command line (about 1,200 columns) in the Processes
// table pushed every figure out of sight to the right. Cut to the column's
// textMax as in --text, "(2 images, exec)" kept; the tooltip has it whole.
test('a long command in the process tree is cut, whole in its tooltip', () => {
  const tree = require('../../../reports/src/tree');
  const files = fx.treeFiles();
  const argv = ['/usr/bin/ld', '-plugin'].concat(
      Array.from({ length: 80 }, (_, i) => '/usr/lib/gcc/x86_64-linux-gnu/12/obj' + i + '.o'));
  files[2].data.run.command = argv;
  const doc = new Document();
  const el = T.render(doc, tree.treeTable(files, tree.build(files)), { nosort: true });
  const cells = el.all('td').filter((td) => td.textContent.startsWith('/usr/bin/ld'));
  assert.strictEqual(cells.length, 1);
  assert.strictEqual(cells[0].textContent,
      argv.join(' ').slice(0, tree.COMMAND_TEXT_MAX - 1) + '… (2 images, exec)');
  assert.strictEqual(cells[0].getAttribute('title'), argv.join(' ') + ' (2 images, exec)');
  const short = el.all('td').filter((td) => td.textContent.startsWith('./server'))[0];
  assert.strictEqual(short.getAttribute('title'), './server --workers=2');
});
