'use strict';
// The fuzz target itself (tests/report/fuzz): its inputs are repeatable, the
// seeds pass, and what it must catch it catches.
const test = require('node:test');
const assert = require('node:assert');
const fz = require('../fuzz');
const views = require('../../../reports/src/views');
const V = require('../../../reports/src/validate');

const sets = fz.seedSets();

test('input i is a function of (seed, i) alone', () => {
  const a = fz.makeInput(sets, 5, 123);
  const b = fz.makeInput(sets, 5, 123);
  assert.deepStrictEqual(a, b);
  assert.notDeepStrictEqual(fz.makeInput(sets, 5, 124), a);
  assert.notDeepStrictEqual(fz.makeInput(sets, 6, 123), a);
});

test('every seed set, unmutated, makes a report (text and page)', () => {
  assert.ok(sets.length >= 4, sets.length + ' sets');
  sets.forEach((set) => {
    const input = { files: set.map((f) => ({ name: f.name, text: f.text })) };
    assert.strictEqual(fz.execute(Object.assign({ html: false }, input)), null, set[0].name);
    assert.strictEqual(fz.execute(Object.assign({ html: true }, input)), null, set[0].name);
  });
});

test('a one-line error is fine; an exception, in the reader or the page, is a crash', () => {
  const sim = sets.filter((x) => x.length === 1 && /^phases-sim\//.test(x[0].name))[0];
  const set = sim.map((f) => ({ name: f.name, text: f.text }));
  assert.strictEqual(fz.execute({ files: [{ name: 'x', text: '{' }], html: false }), null);
  const view = views.FILE[0];
  const saved = view.html;
  view.html = function () { throw new Error('broken view'); };
  try {
    assert.match(fz.execute({ files: set, html: true }),
      /^the page could not be shown: Error: broken view/);
  } finally {
    view.html = saved;
  }
  const parse = V.parse;
  V.parse = function () { throw new TypeError('a reader bug'); };
  try {
    assert.match(fz.execute({ files: set, html: false }), /^exception: TypeError: a reader bug/);
  } finally {
    V.parse = parse;
  }
});
