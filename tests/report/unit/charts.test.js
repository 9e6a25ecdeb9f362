'use strict';
const test = require('node:test');
const assert = require('node:assert');
const C = require('../../../reports/src/charts');
const fx = require('../fixtures');

test('stack accumulates bottom to top', () => {
  assert.deepStrictEqual(C.stack([[1, 2], [3, 4], [0, 1]]), [[1, 2], [4, 6], [4, 7]]);
  assert.deepStrictEqual(C.stack([]), []);
});

test('applyStack fills the bottom series and bands between the others', () => {
  const s = [
    { raw: [1, 1], color: '#111111', stacked: true },
    { raw: [2, 2], color: '#222222', stacked: true },
    { raw: [9, 9], color: '#333333' }
  ];
  const bands = C.applyStack(s);
  assert.deepStrictEqual(s.map((x) => x.values), [[1, 1], [3, 3], [9, 9]]);
  assert.strictEqual(s[0].fill, '#11111199');
  assert.deepStrictEqual(bands, [{ series: [2, 1], fill: '#22222299' }]);
});

test('memory chart: non-empty kinds stacked, touched, PSS and USS as lines', () => {
  const d = fx.makeFile({});
  const spec = C.memorySpec(d);
  const labels = spec.series.map((s) => s.label);
  assert.deepStrictEqual(labels,
      ['resident text', 'resident data', 'resident bss', 'resident heap', 'resident stack',
          'resident anon', 'resident file', 'resident shm', 'touched', 'PSS', 'USS']);
  assert.strictEqual(spec.series[9].values[5], d.timeline.pss_x1000[5] / 1000);
  const last = spec.series[7].values;
  const i = 50;
  const kinds = ['text', 'data', 'bss', 'heap', 'stack', 'anon', 'file', 'shm'];
  assert.strictEqual(last[i], kinds.reduce((s, k) => s + d.timeline.rss[k][i], 0));
  assert.strictEqual(spec.series[8].values, d.timeline.touched);
  assert.strictEqual(spec.x, d.timeline.t);
});

test('memory chart: the run\'s peak marked where it was reached, the y axis up to it', () => {
  const d = fx.makeFile({});
  const tl = d.timeline;
  const kinds = Object.keys(tl.rss);
  let most = 0;
  tl.t.forEach((x, i) => {
    most = Math.max(most, kinds.reduce((a, k) => a + tl.rss[k][i], 0), tl.touched[i]);
  });
  // A peak inside sample 40, above every sample's end.
  d.totals.peak_resident_pages = most + 1000;
  d.totals.peak_resident_at = tl.t[39] + 5;
  const spec = C.memorySpec(d);
  assert.deepStrictEqual(spec.marker, { x: tl.t[39] + 5, y: most + 1000,
    label: 'peak resident ' + require('../../../reports/src/format').int(most + 1000) +
        ' pages' });
  const u = C.toUplot(spec, 800, 200, 4096, { paths: {} });
  assert.deepStrictEqual(u.opts.scales.y.range(null, 0, most), [0, (most + 1000) * 1.05]);
  assert.strictEqual(u.opts.hooks.draw.length, 1);
});

test('no timeline, no time charts', () => {
  const d = fx.makeFile({ planned: false });
  assert.deepStrictEqual(C.timeSpecs(d), []);
  assert.strictEqual(C.policySpec(d), null);
});

test('WSS chart has total, code and data per tau', () => {
  const d = fx.makeFile({});
  const spec = C.wssSpec(d);
  assert.deepStrictEqual(spec.series.map((s) => s.label),
      ['WSS τ=1M', 'code τ=1M', 'data τ=1M', 'WSS τ=10M', 'code τ=10M', 'data τ=10M']);
  assert.strictEqual(spec.series[0].values[3], d.timeline.wss[0].code[3] +
      d.timeline.wss[0].data[3]);
});

test('fault chart leaves out classes without faults and does not stack invalid', () => {
  const d = fx.makeFile({});
  d.timeline.faults.wp_reuse = d.timeline.faults.wp_reuse.map(() => 0);
  const spec = C.faultSpec(d);
  const labels = spec.series.map((s) => s.label);
  assert.ok(!labels.includes('wp_reuse'));
  assert.ok(labels.includes('anon'));
  const inv = spec.series.find((s) => s.label === 'invalid');
  assert.ok(!inv.stacked);
});

test('policy chart: union of RAM sizes, a gap where a policy was not simulated', () => {
  const d = fx.makeFile({});
  const spec = C.policySpec(d);
  assert.deepStrictEqual(spec.x, [256, 512, 1024, 2048, 4096, 8192]);
  assert.deepStrictEqual(spec.series.map((s) => s.label),
      ['lru', 'fifo', 'clock', 'opt (floor)', 'linux']);
  const opt = spec.series[3].values;
  assert.strictEqual(opt[5], null);
  assert.ok(opt[0] > opt[4]);
  assert.strictEqual(spec.xLog, true);
  assert.strictEqual(spec.yLog, true);
  assert.deepStrictEqual(spec.marker,
      { x: d.totals.peak_resident_pages, y: null, label: 'peak RSS 3,447 pages' });
});

test('major faults chart: a size without major faults is left out (log scale)', () => {
  const d = fx.makeFile({});
  d.simulations[0].faults.major = 0;
  const spec = C.policySpec(d, 'major');
  assert.strictEqual(spec.id, 'chart-policies-major');
  assert.strictEqual(spec.series[0].values[0], null);
  assert.strictEqual(spec.series[0].values[1], d.simulations[1].faults.major);
});

// Silberschatz, Galvin, Gagne's reference string 7 0 1 2 0 3 0 4 2 3 0 3 2
// 1 2 0 1 7 0 1: LRU 12 faults with 3 frames, OPT 9 (the textbook's
// figures), as vmtrace-sim --mrc writes the curves.
const SGG = [
  { policy: 'lru', exact: true, references: 20, cold: 6, sizes: [1, 2, 3, 4, 5, 6],
    misses: [20, 17, 12, 8, 7, 6] },
  { policy: 'opt', exact: true, references: 20, cold: 6, sizes: [1, 2, 3, 4, 5, 6],
    misses: [20, 13, 9, 8, 7, 6] }
];

test('curveAt reads an exact curve\'s steps', () => {
  assert.strictEqual(C.curveAt(SGG[0], 3), 12);
  assert.strictEqual(C.curveAt(SGG[1], 3), 9);
  assert.strictEqual(C.curveAt(SGG[1], 100), 6);
  assert.strictEqual(C.curveAt(SGG[0], 0), null);
  const steps = { sizes: [1, 10, 100], misses: [50, 30, 10] };
  assert.strictEqual(C.curveAt(steps, 99), 30);
  assert.strictEqual(C.curveAt(steps, 10), 30);
  assert.strictEqual(C.curveAt(steps, 9), 50);
});

test('exact curves are drawn over the simulations, and FIFO relative to LRU', () => {
  const d = {
    totals: { peak_resident_pages: 6 },
    simulations: [3, 4].map((n) => ({ policy: 'fifo', ram_pages: n,
      faults: { total: n === 3 ? 15 : 10, major: 0 } })).concat(
        [3, 4].map((n) => ({ policy: 'lru', ram_pages: n, faults: { total: n === 3 ? 12 : 8 } })))
  };
  const spec = C.policySpec(d, 'total', SGG);
  assert.deepStrictEqual(spec.series.map((s) => s.label),
      ['fifo', 'lru', 'lru exact', 'opt exact']);
  const k3 = spec.x.indexOf(3);
  assert.strictEqual(spec.series[2].values[k3], 12);
  assert.strictEqual(spec.series[3].values[k3], 9);
  assert.ok(spec.x.indexOf(4) >= 0 && spec.x[0] === 3);
  // A colour means a policy: the exact LRU curve is LRU's (dashed), never
  // FIFO's (drawn first, the palette's first colour, which the curve once took).
  const colour = (sp, l) => sp.series.find((s) => s.label === l).color;
  assert.strictEqual(colour(spec, 'lru exact'), colour(spec, 'lru'));
  assert.notStrictEqual(colour(spec, 'lru exact'), colour(spec, 'fifo'));
  assert.strictEqual(colour(spec, 'opt exact'), '#222222');
  assert.ok(spec.series[2].dash && spec.series[3].dash);
  // without an LRU simulation the curve takes a colour no policy has
  const fifoOnly = C.policySpec({ simulations: d.simulations.slice(0, 2) }, 'total', SGG);
  assert.deepStrictEqual(fifoOnly.series.map((s) => s.label), ['fifo', 'lru exact', 'opt exact']);
  assert.strictEqual(new Set(fifoOnly.series.map((s) => s.color)).size, 3);
  const rel = C.relativeSpec(d, SGG);
  assert.deepStrictEqual(rel.series[0].values, [15 / 12, 10 / 8]);
  assert.deepStrictEqual(rel.series[1].values, [1, 1]);
  // without an LRU simulation, the exact LRU curve is the reference
  const noLru = { simulations: d.simulations.slice(0, 2) };
  assert.deepStrictEqual(C.relativeSpec(noLru, SGG).series[0].values, [15 / 12, 10 / 8]);
  assert.strictEqual(C.relativeSpec(noLru, []), null);
});

test('toUplot lines data up with the series', () => {
  const d = fx.makeFile({});
  const spec = C.memorySpec(d);
  const fakeUplot = { paths: {} };
  const u = C.toUplot(spec, 800, 200, 4096, fakeUplot);
  assert.strictEqual(u.data.length, spec.series.length + 1);
  assert.strictEqual(u.opts.series.length, spec.series.length + 1);
  u.data.forEach((a) => assert.strictEqual(a.length, d.timeline.t.length));
  // the legend shows the series' own value, not the stacked one
  const v = u.opts.series[6].value(null, 0, 6, 10);
  assert.strictEqual(v,
      require('../../../reports/src/format').pages(d.timeline.rss.anon[10], 4096));
});

test('a zoomed time axis labels every tick differently', () => {
  // phases runs 2.7M instructions: zoomed to 10,000 of them, uPlot ticks
  // every 500 (its increment, the axis' fifth argument)
  const d = fx.makeFile({});
  const u = C.toUplot(C.memorySpec(d), 800, 200, 4096, { paths: {} });
  const vals = Array.from({ length: 21 }, (x, i) => 2700000 + 500 * i);
  const labels = u.opts.axes[0].values(null, vals, 0, 50, 500);
  assert.strictEqual(new Set(labels).size, 21, labels.join(' '));
  assert.strictEqual(labels[1], '2.7005M');
  // the tree memory's wall clock, zoomed to 10 ms at 1.5 s
  const tm = { x: [0, 1.5, 1.51], xUnit: 'seconds', yUnit: 'pages', series: [] };
  const ut = C.toUplot(tm, 800, 200, 4096, { paths: {} });
  assert.deepStrictEqual(ut.opts.axes[0].values(null, [1.5, 1.502, 1.504], 0, 50, 0.002),
      ['1.500 s', '1.502 s', '1.504 s']);
});

// A count per sample covers the time since the previous sample, the first
// since 0: a linked group of time charts shows its time from 0 (the TLB, THP,
// simulation and measured-fault charts once began at their first sample,
// so the first sample's step lay left of the plot).
test('linked time charts start at 0, where the first sample\'s count begins', () => {
  const made = (x) => {
    const m = { plot: { data: [x] }, got: [] };
    m.setRange = (a, b) => m.got.push([a, b]);
    return m;
  };
  const L = new C.Linker();
  const a = made([16385, 32771, 49165]);
  const b = made([16385, 32771, 49165]);
  L.add(a);
  L.add(b);
  C.resetToFullRange(L);
  assert.deepStrictEqual(a.got, [[0, 49165]]);
  assert.deepStrictEqual(b.got, [[0, 49165]]);
  a.setRange(null, null);
  assert.deepStrictEqual(a.got.slice(-1), [[0, 49165]]);
  // an explicit range still wins
  const L2 = new C.Linker();
  const c = made([1, 2, 3]);
  L2.add(c);
  C.resetToFullRange(L2, [0, 10]);
  assert.deepStrictEqual(c.got, [[0, 10]]);
});

test('the linker applies a range to every other member once', () => {
  const L = new C.Linker();
  const got = [];
  const a = { setRange: (x, y) => { got.push(['a', x, y]); L.set(a, x, y); } };
  const b = { setRange: (x, y) => { got.push(['b', x, y]); L.set(b, x, y); } };
  L.add(a);
  L.add(b);
  L.set(a, 1, 2);
  assert.deepStrictEqual(got, [['b', 1, 2]]);
});

test('PSS and USS lines join the memory chart when the timeline has them', () => {
  const d = fx.makeFile({});
  d.timeline.pss_x1000 = d.timeline.t.map(() => 1500);
  d.timeline.uss = d.timeline.t.map(() => 7);
  const spec = C.memorySpec(d);
  const pss = spec.series.find((s) => s.label === 'PSS');
  const uss = spec.series.find((s) => s.label === 'USS');
  assert.strictEqual(pss.values[0], 1.5);
  assert.strictEqual(uss.values[3], 7);
  assert.ok(!pss.stacked && !uss.stacked);
});

test('steps: a count per interval is drawn over the interval it ends, a state after it', () => {
  const d = fx.makeFile({});
  const aligns = (spec) => {
    const got = [];
    const fake = { paths: { stepped: (o) => { got.push(o.align * (o.extend ? 2 : 1)); } } };
    C.toUplot(spec, 800, 200, 4096, fake);
    return got;
  };
  // faults of sample i happened in (t[i-1], t[i]]: the step before the
  // point, the first sample's from the axis' start (extend)
  const f = aligns(C.faultSpec(d));
  assert.ok(f.length > 0 && f.every((a) => a === -2), JSON.stringify(f));
  // the simulation's memory is a state at t[i], held until the next sample
  const i = C.defaultSim(d);
  assert.ok(aligns(C.simMemorySpec(d, i)).every((a) => a === 1));
  assert.ok(aligns(C.simActivitySpec(d, i)).every((a) => a === -2));
});

test('legend: on a chart of steps, the sample whose step is under the pointer', () => {
  const xs = [100, 200, 300];
  const during = C.stepIndex({ series: [{ stepped: true, during: true }] });
  const state = C.stepIndex({ series: [{ stepped: true }, { stepped: true }] });
  // counts: sample i spans (x[i-1], x[i]]; the first spans (0, 100]
  assert.deepStrictEqual([10, 100, 101, 190, 200, 260, 300, 350].map((v) => during(xs, -1, v)),
      [0, 0, 1, 1, 1, 2, 2, 2]);
  // states: sample i holds from x[i] to x[i+1]
  assert.deepStrictEqual([10, 100, 110, 199, 200, 290, 300, 350].map((v) => state(xs, -1, v)),
      [0, 0, 0, 0, 1, 1, 2, 2]);
  // lines keep the nearest point
  assert.strictEqual(C.stepIndex({ series: [{ stepped: true }, { label: 'x' }] }), null);
  const d = fx.makeFile({});
  assert.ok(C.stepIndex(C.faultSpec(d)));
  assert.strictEqual(C.stepIndex(C.memorySpec(d)), null);
});

test('a run of one sample: its values are drawn as points, not as lines of no length', () => {
  const d = fx.makeFile({});
  const tl = d.timeline;
  const one = (a) => a.slice(0, 1);
  tl.t = one(tl.t);
  Object.keys(tl.rss).forEach((k) => { tl.rss[k] = one(tl.rss[k]); });
  tl.touched = one(tl.touched);
  tl.pss_x1000 = one(tl.pss_x1000);
  tl.uss = one(tl.uss);
  const u = C.toUplot(C.memorySpec(d), 800, 200, 4096, { paths: {} });
  assert.ok(u.opts.series.slice(1).every((s) => s.points.show), 'every series shows its point');
  const many = C.toUplot(C.memorySpec(fx.makeFile({})), 800, 200, 4096, { paths: {} });
  assert.ok(many.opts.series.slice(1).every((s) => !s.points.show));
});

// The steps a stepped series is drawn as, [from, to, value] (what uPlot's
// stepped paths draw): a state (resident pages) from its sample to the
// next (align 1), a count during a sample over the time since the one
// before (align -1; the first from 0: extend).
function drawnSteps(spec, label) {
  const s = spec.series.find((x) => x.label === label);
  const x = spec.x;
  const out = [];
  for (let k = 0; k < x.length; k++) {
    if (s.during) out.push([k ? x[k - 1] : Math.min(0, x[0]), x[k], s.raw[k]]);
    else if (k + 1 < x.length) out.push([x[k], x[k + 1], s.raw[k]]);
  }
  return out;
}

// A stopped simulation's data as the tool writes it: from the sample that
// holds the stop (k) on, every sample holds the state it stopped with and
// no event.
function freeze(ss, k) {
  Object.keys(ss).forEach((key) => {
    const a = ss[key];
    const count = ['minor', 'swap_in', 'file_major', 'swap_out', 'evictions'].includes(key);
    for (let j = k + 1; j < a.length; j++) a[j] = count ? 0 : a[k];
  });
}

// A simulation stopped out of memory (--oom=stop) is frozen from then on:
// the tool writes its last state to every later sample. Its charts end with
// the sample that holds the stop (drawn: the data handed to uPlot), the
// state it stopped with drawn from the stop to there (until 2026-12-06 it
// was the last point of steps that each hold to the next: drawn zero wide,
// never seen), the list says it stopped, and the first one shown is one
// that ran to the end.
test('a stopped simulation: drawn up to its stop, not first in the list', () => {
  const d = fx.makeFile({});
  const M = require('../../../reports/src/model');
  const tl = d.timeline;
  const i = C.defaultSim(d);
  const s = d.simulations[i];
  const most = s.faults.major;
  // stopped 5 instructions before sample 9 closed: samples 0 to 9 drawn,
  // sample 9 split at the stop
  const at = tl.t[9] - 5;
  s.stopped_at = at;
  s.stopped = { time: at, rss_pages: 9999, address: 4096, stack: [] };
  const ss = tl.simulations[i];
  freeze(ss, 9);
  // its totals, as the tool writes them: its events until the stop
  const total = (a) => a.reduce((acc, v) => acc + v, 0);
  s.faults.file_major = total(ss.file_major);
  s.faults.minor = total(ss.minor);
  const mem = C.simMemorySpec(d, i);
  const act = C.simActivitySpec(d, i);
  const x = tl.t.slice(0, 9).concat([at, tl.t[9]]);
  assert.deepStrictEqual(mem.x, x);
  assert.deepStrictEqual(act.x, x);
  // the memory's steps: each sample's state to the next, the last (the
  // state it stopped with: sample 9's) from the stop to the axis' end
  const used = drawnSteps(mem, 'used');
  assert.deepStrictEqual(used.slice(0, 8),
      ss.anon.slice(0, 8).map((v, k) => [tl.t[k], tl.t[k + 1], v]));
  assert.deepStrictEqual(used.slice(8), [[tl.t[8], at, ss.anon[8]], [at, tl.t[9], ss.anon[9]]]);
  assert.deepStrictEqual(drawnSteps(mem, 'swap used').pop(), [at, tl.t[9], ss.swap_used[9]]);
  // stacked to the RAM at each point drawn
  const top = mem.series.find((v) => v.label === 'free').values;
  const res = ss.resident.slice(0, 10).concat([ss.resident[9]]);
  assert.deepStrictEqual(top, res.map((v) => Math.max(v, s.ram_pages)));
  // vmstat's counts: sample 9's up to the stop, none after; the counts
  // drawn add up to the simulation's
  const maj = drawnSteps(act, 'file major');
  assert.deepStrictEqual(maj.slice(-2), [[tl.t[8], at, ss.file_major[9]], [at, tl.t[9], 0]]);
  const sum = (a) => total(a.map((v) => v[2]));
  assert.strictEqual(sum(maj), s.faults.file_major);
  assert.strictEqual(sum(drawnSteps(act, 'minor faults')), s.faults.minor);
  const data = C.toUplot(act, 800, 200, 4096, { paths: { stepped: () => null } }).data;
  assert.deepStrictEqual(data.map((a) => a.length), [11, 11, 11, 11, 11, 11]);
  assert.match(mem.note, new RegExp('It stopped out of memory at ' +
      at.toLocaleString('en-US') + ' instructions \\(--oom=stop\\): drawn to the end of the ' +
      'sample that holds the stop \\(' + tl.t[9].toLocaleString('en-US') + '\\), where its ' +
      'charts end, the state it stopped with from the stop on\\.'));
  // not the one shown first: that is the one with the most major faults of
  // those that ran to the end
  const j = C.defaultSim(d);
  assert.notStrictEqual(j, i);
  const whole = d.simulations.filter((x) => !M.simStopped(x)).map((x) => x.faults.major);
  assert.strictEqual(d.simulations[j].faults.major, Math.max.apply(null, whole));
  assert.ok(d.simulations[j].faults.major <= most);
  assert.strictEqual(M.simName(s, 4096), s.policy + ', ' + s.ram_pages.toLocaleString('en-US') +
      ' pages (' + (s.ram_pages / 256) + ' MiB), stopped out of memory at ' +
      at.toLocaleString('en-US') + ' instructions, ' +
      most.toLocaleString('en-US') + ' major faults until then');
  // all stopped: the one with the most major faults of all
  d.simulations.forEach((x) => { x.stopped_at = 1; });
  assert.strictEqual(C.defaultSim(d), i);
  // one that ran to the end is drawn over the whole run
  delete s.stopped;
  s.stopped_at = null;
  assert.deepStrictEqual(C.simMemorySpec(d, i).x, tl.t);
});

// Stopped exactly where sample 4 closed: sample 5 is all frozen; the
// charts end with it, the state it stopped with drawn over it (one sample
// wide), no event in it.
test('a simulation stopped at a sample\'s end: drawn over the next sample', () => {
  const d = fx.makeFile({});
  const tl = d.timeline;
  const i = C.defaultSim(d);
  const s = d.simulations[i];
  s.stopped_at = tl.t[4];
  s.stopped = { time: tl.t[4], rss_pages: 9, address: 4096, stack: [] };
  const ss = tl.simulations[i];
  freeze(ss, 4);
  const mem = C.simMemorySpec(d, i);
  const act = C.simActivitySpec(d, i);
  assert.deepStrictEqual(mem.x, tl.t.slice(0, 6));
  assert.deepStrictEqual(act.x, tl.t.slice(0, 6));
  assert.deepStrictEqual(drawnSteps(mem, 'used').pop(), [tl.t[4], tl.t[5], ss.anon[4]]);
  assert.deepStrictEqual(drawnSteps(act, 'swap-in (si)').pop(), [tl.t[4], tl.t[5], 0]);
  assert.match(mem.note, new RegExp('drawn to the end of the sample after the stop \\(' +
      tl.t[5].toLocaleString('en-US') + '\\), where its charts end'));
  // stopped inside the first sample: that sample split, the stopped state
  // from the stop to its end
  s.stopped_at = s.stopped.time = 1000;
  freeze(ss, 0);
  const first = C.simMemorySpec(d, i);
  assert.deepStrictEqual(first.x, [1000, tl.t[0]]);
  assert.deepStrictEqual(drawnSteps(first, 'used'), [[1000, tl.t[0], ss.anon[0]]]);
  assert.deepStrictEqual(drawnSteps(C.simActivitySpec(d, i), 'minor faults'),
      [[0, 1000, ss.minor[0]], [1000, tl.t[0], 0]]);
  // stopped at the run's last sample's end: the whole run
  s.stopped_at = s.stopped.time = tl.t[tl.t.length - 1];
  assert.deepStrictEqual(C.simMemorySpec(d, i).x, tl.t);
  assert.match(C.simMemorySpec(d, i).note, /drawn to the end of the run/);
});

// Swap in use beyond the RAM is drawn on an axis of its own, at the right,
// from 0, so that the RAM's stack (used, buff/cache, free) keeps the left
// axis, which ends at the RAM; the vmstat chart beside it leaves the same
// room at the right. Swap within the RAM shares the left axis.
test('simulation memory: swap beyond the RAM on its own axis, the stack up to the RAM', () => {
  const d = fx.makeFile({});
  const i = d.simulations.findIndex((s) => s.policy === 'lru' && s.ram_pages === 256);
  const ss = d.timeline.simulations[i];
  const most = Math.max.apply(null, ss.swap_used);
  assert.ok(most > 256, 'the fixture swaps more than its RAM: ' + most);
  const fake = { paths: { stepped: () => null } };
  const mem = C.toUplot(C.simMemorySpec(d, i), 800, 200, 4096, fake);
  const swap = mem.opts.series.find((s) => s.label === 'swap used');
  assert.strictEqual(swap.scale, 'y2');
  mem.opts.series.filter((s) => s.label !== 'swap used' && s.label !== 'instructions')
      .forEach((s) => assert.strictEqual(s.scale, undefined, s.label));
  const ax = mem.opts.axes.find((a) => a.scale === 'y2');
  assert.strictEqual(ax.side, 1);
  assert.strictEqual(ax.label, 'swap used');
  assert.deepStrictEqual(mem.opts.scales.y2.range(null, 0, most), [0, most * 1.05]);
  // the left axis: the stack, whose top is the RAM at every sample
  const stackTop = Math.max.apply(null, mem.data[3]);
  assert.strictEqual(stackTop, 256);
  assert.deepStrictEqual(mem.opts.scales.y.range(null, 0, stackTop), [0, 256 * 1.05]);
  // the swap line's data are the file's
  assert.deepStrictEqual(mem.data[5], ss.swap_used);
  const act = C.toUplot(C.simActivitySpec(d, i), 800, 200, 4096, fake);
  assert.strictEqual(act.opts.axes.filter((a) => a.side === 1).length, 1);
  assert.strictEqual(act.opts.axes.find((a) => a.side === 1).size,
      ax.size + ax.labelSize);
  // swap within the RAM: one axis
  ss.swap_used = ss.swap_used.map((v) => Math.min(v, 256));
  const one = C.toUplot(C.simMemorySpec(d, i), 800, 200, 4096, fake);
  assert.strictEqual(one.opts.series.find((s) => s.label === 'swap used').scale, undefined);
  assert.strictEqual(one.opts.axes.filter((a) => a.side === 1).length, 0);
  assert.strictEqual(C.toUplot(C.simActivitySpec(d, i), 800, 200, 4096, fake).opts.axes
      .filter((a) => a.side === 1).length, 0);
});

// Simulations that ran out of memory and went on (--oom=continue): each
// reference that found no frame is an OOM event, not a fault. A program
// writing its 64 pages 20 times without swap took, under 16 pages, 422
// faults and 493,401 OOM events, under 32 pages 1,296 faults and 403,670,
// under 256 pages 121 faults and none: drawn, the smallest RAM faulted
// least. They get no point on the charts against RAM (nor, as LRU, a
// ratio's denominator), and each chart's note names them.
test('simulations that went on out of memory: left out of the charts against RAM, named', () => {
  const sim = (policy, ram, total, oom) => ({ policy, ram_pages: ram, swap_pages: 0,
    faults: { total, major: total - 30, minor: 30 }, oom_count: oom, stopped_at: null });
  const d = { page_size: 4096, simulations: [sim('lru', 16, 422, 493401),
    sim('lru', 32, 1296, 403670), sim('lru', 256, 121, 0), sim('fifo', 16, 438, 493401),
    sim('fifo', 32, 1595, 403670), sim('fifo', 256, 137, 0)] };
  const f = C.policySpec(d, 'total');
  assert.deepStrictEqual(f.x, [256]);
  assert.deepStrictEqual(f.series.map((s) => [s.label, s.values]), [['lru', [121]],
    ['fifo', [137]]]);
  const rel = C.relativeSpec(d);
  assert.deepStrictEqual(rel.series.map((s) => s.values), [[1], [137 / 121]]);
  const want = ' Left out: 4 simulations that ran out of memory and went on ' +
      '(--oom=continue), whose references that found no frame are OOM events, not faults, so ' +
      'that their faults do not compare (lru at 64 KiB: 422 faults, 493,401 OOM events; lru ' +
      'at 128 KiB: 1,296 faults, 403,670 OOM events; fifo at 64 KiB: 438 faults, 493,401 OOM ' +
      'events; fifo at 128 KiB: 1,595 faults, 403,670 OOM events).';
  assert.ok(f.note.endsWith(want), f.note);
  assert.ok(rel.note.endsWith(want), rel.note);
  assert.ok(C.policySpec(d, 'major').note.endsWith(want));
  // none ran out of memory: no such note, every size drawn
  d.simulations.forEach((s) => { s.oom_count = 0; });
  assert.deepStrictEqual(C.policySpec(d, 'total').x, [16, 32, 256]);
  assert.ok(!/Left out/.test(C.policySpec(d, 'total').note));
  // a stopped one is no point either, and not named as one that went on
  d.simulations[0].stopped_at = 5000;
  d.simulations[0].oom_count = 1;
  assert.deepStrictEqual(C.policySpec(d, 'total').series[0].values, [null, 1296, 121]);
  assert.ok(!/Left out/.test(C.policySpec(d, 'total').note));
});
