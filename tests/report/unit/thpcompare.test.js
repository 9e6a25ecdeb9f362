'use strict';
// The THP comparison view (--thp-compare): its table, charts and text show the
// output file's figures, each derived here from numbers chosen for the test.
const test = require('node:test');
const assert = require('node:assert');
const view = require('../../../reports/src/views/thpcompare');
const validate = require('../../../reports/src/validate');

function faults(anon, thp, zero) {
  return { total: anon + thp + zero, minor: anon + thp + zero, major: 0, anon: anon, thp: thp,
    zero: zero, invalid: 0 };
}
const pt = (pte) => ({ pgd: 1, pud: 1, pmd: 2, pte: pte });

const d = {
  totals: { faults: faults(10, 32, 1), resident_pages: 16400, peak_resident_pages: 16500,
    anon_huge_pages: 16384, page_tables: Object.assign(pt(40), { peak: pt(41) }) },
  timeline: {
    interval: 16384, t: [16384, 32768, 40000],
    // resident pages per sample: the kinds summed: 100, 8292, 16400
    rss: { anon: [90, 8282, 16390], text: [10, 10, 10] },
    // faults per sample: the classes summed (invalid left out): 5, 20, 18
    faults: { anon: [4, 2, 4], thp: [0, 18, 14], zero: [1, 0, 0], invalid: [0, 3, 0] }
  },
  thp_compare: {
    primary: { thp: 'madvise', thp_sizes: { '16kB': 'never', '2048kB': 'inherit' } },
    compared: { thp: 'never', thp_sizes: { '16kB': 'always', '2048kB': 'inherit' } },
    totals: { faults: faults(16394, 0, 1), resident_pages: 16400, peak_resident_pages: 16500,
      anon_huge_pages: 0, pages_touched: 16500,
      page_tables: Object.assign(pt(40), { peak: pt(41) }) },
    timeline: { resident_pages: [100, 8292, 16400], page_tables: [7, 24, 44],
      faults: [5, 8194, 8196], primary_page_tables: [6, 23, 44] }
  }
};

test('the table sets each figure of the run beside the compared one', () => {
  const t = view.table(d);
  const row = (w) => t.rows.find((r) => r.what === w);
  // 10 anon + 32 thp + 1 zero = 43 against 16,394 + 0 + 1 = 16,395
  assert.deepStrictEqual(row('faults'), { what: 'faults', a: 43, b: 16395, diff: 16352 });
  assert.strictEqual(row('  thp').diff, -32);
  assert.strictEqual(row('  anon').diff, 16384);
  assert.strictEqual(row('resident pages, peak').diff, 0);
  assert.deepStrictEqual([row('AnonHugePages at exit (pages)').a,
    row('AnonHugePages at exit (pages)').b], [16384, 0]);
  // the peak per level summed: 1 + 1 + 2 + 41
  assert.strictEqual(row('page tables, peak (per level, summed)').a, 45);
  // the compared side names its sizes that are not never
  assert.match(t.title, /--thp=madvise against --thp=never \(16kB:always\)/);
  // which way the difference goes: +16,352 faults are --thp=never's more
  assert.match(t.note, /Difference: --thp=never \(16kB:always\)'s figure less --thp=madvise's /);
  assert.strictEqual(t.columns.find((c) => c.key === 'diff').tip,
      '--thp=never (16kB:always) less --thp=madvise');
});

test('the charts plot both sides per sample at its end', () => {
  const s = view.specs(d);
  assert.deepStrictEqual(s.map((x) => x.id), ['chart-thp-rss', 'chart-thp-faults',
    'chart-thp-pt']);
  s.forEach((x) => assert.deepStrictEqual(x.x, [16384, 32768, 40000]));
  assert.deepStrictEqual(s[0].series[0].values, [100, 8292, 16400]);
  assert.deepStrictEqual(s[0].series[1].values, [100, 8292, 16400]);
  assert.deepStrictEqual(s[1].series[0].values, [5, 20, 18]);
  assert.deepStrictEqual(s[1].series[1].values, [5, 8194, 8196]);
  assert.deepStrictEqual(s[2].series[0].values, [6, 23, 44]);
  assert.deepStrictEqual(s[2].series[1].values, [7, 24, 44]);
  // equal figures (resident pages here) put one line on the other: the
  // compared side is dashed, so the run's shows through (python3 -c under
  // --thp=always took no huge page, and its blue lines were hidden)
  s.forEach((x) => {
    assert.strictEqual(x.series[0].dash, undefined);
    assert.deepStrictEqual(x.series[1].dash, [6, 4]);
  });
  assert.strictEqual(view.specs({ thp_compare: d.thp_compare }).length, 0);
});

test('the text names the busiest sample of each side', () => {
  const txt = view.text(d);
  assert.match(txt,
    /Faults per interval: THP against without: at most 20 against 8,196 in one of 3 samples/);
  assert.match(txt, /Page-table pages: THP against without: at most 44 against 44/);
});

test('the validator checks the object when present', () => {
  const classes = ['anon', 'thp', 'zero', 'invalid'];
  assert.doesNotThrow(() => validate.validateThpCompare(d.thp_compare, classes, d.timeline));
  const c = JSON.parse(JSON.stringify(d.thp_compare));
  c.timeline.faults = [1];
  assert.throws(() => validate.validateThpCompare(c, classes, d.timeline),
    /thp_compare.timeline.faults has 1 entry,/);
});
