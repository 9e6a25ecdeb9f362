'use strict';
// The TLB view (--tlb=yes): its table, chart and text show the output
// file's figures, each derived here from numbers chosen for the test.
const test = require('node:test');
const assert = require('node:assert');
const tlb = require('../../../reports/src/views/tlb');

function side(l1, l2, w4k, w2m) {
  return { l1_misses: l1, l2_hits: l2, walks: w4k + w2m, walks_4k: w4k, walks_2m: w2m,
    walk_levels: 4 * w4k + 3 * w2m };
}

const d = {
  tlb: {
    cpu: 'skylake', accesses: 1000, flushes: { full: 2, ranges: 5 },
    data: side(300, 100, 150, 50), instruction: side(40, 30, 10, 0),
    instructions: []
  },
  timeline: {
    interval: 16384, t: [16384, 32768, 40000],
    tlb: { dtlb_misses: [100, 150, 50], itlb_misses: [20, 5, 15],
      dtlb_walks: [60, 100, 40], itlb_walks: [5, 2, 3] }
  }
};

test('the chart plots the misses of each sample at its end', () => {
  const s = tlb.tlbSpec(d);
  assert.deepStrictEqual(s.x, [16384, 32768, 40000]);
  const by = (l) => s.series.find((x) => x.label === l).values;
  assert.deepStrictEqual(by('data L1 misses'), [100, 150, 50]);
  assert.deepStrictEqual(by('fetch walks'), [5, 2, 3]);
  assert.strictEqual(s.yUnit, 'count');
  assert.match(s.note, /up to 16,384 instructions/);
  assert.strictEqual(tlb.tlbSpec({ timeline: { t: [1] } }), null);
});

test('the text sums the samples and names the busiest one', () => {
  const txt = tlb.text(d);
  // 100+150+50 data + 20+5+15 fetch = 340; the busiest sample is the
  // second, 155, ending at 32,768 instructions
  assert.match(txt, /340 L1 misses in 3 samples, at most 155 in the sample ending at 32,768/);
  // the side table: data walks 150 + 50 = 200, levels 4 x 150 + 3 x 50 = 750
  assert.match(txt, /data\s+300\s+100\s+200\s+150\s+50\s+750/);
});
