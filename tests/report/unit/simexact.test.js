'use strict';
// --text: the exact curves of a vmtrace-sim result given with the output
// file, at each simulated RAM size (the page draws them over the faults
// chart; the text report used to leave them out without a word).
const test = require('node:test');
const assert = require('node:assert');
const fx = require('../fixtures');
const text = require('../../../reports/src/text');

// The curve's misses at c pages, read from its steps here.
function stepAt(curve, c) {
  let v = null;
  curve.sizes.forEach((s, k) => { if (s <= c) v = curve.misses[k]; });
  return v;
}

test('--text shows the exact curves of this process at every simulated size', () => {
  const d = fx.makeFile({});
  const res = fx.makeSimResult();
  const out = text.render([{ name: 'a.out', data: d }, { name: 'curves.json', data: res }]);
  const sec = out.split('\n\n').filter((b) => /^== Exact curves/.test(b))[0];
  assert.ok(sec, out.slice(0, 400));
  const sizes = [...new Set(d.simulations.map((s) => s.ram_pages))].sort((a, b) => a - b);
  const lines = sec.split('\n').slice(3).filter((l) => l.trim() !== '');
  assert.strictEqual(lines.length, sizes.length, sec);
  sizes.forEach((sz, i) => {
    const cells = lines[i].trim().split(/ {2,}/);
    assert.strictEqual(Number(cells[0].split(' ')[0].replace(/,/g, '')), sz, lines[i]);
    assert.strictEqual(Number(cells[1].replace(/,/g, '')), stepAt(res.curves[0], sz), lines[i]);
    assert.strictEqual(Number(cells[2].replace(/,/g, '')), stepAt(res.curves[1], sz), lines[i]);
  });
});

test('--text says why another process\'s curves are not shown', () => {
  const d = fx.makeFile({});
  const out = text.render([{ name: 'a.out', data: d },
    { name: 'other.json', data: fx.makeSimResult({ pid: 4343 }) }]);
  const sec = out.split('\n\n').filter((b) => /^== Exact curves/.test(b))[0];
  const why = new RegExp('The exact lru and opt curves of other\\.json are not drawn: ' +
      'they are of another process \\(pid 4343');
  assert.ok(sec && why.test(sec.replace(/\n\s*/g, ' ')), sec);
});
