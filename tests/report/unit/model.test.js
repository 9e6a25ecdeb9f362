'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const path = require('path');
const M = require('../../../reports/src/model');
const views = require('../../../reports/src/views');
const V = require('../../../reports/src/validate');
const fx = require('../fixtures');

const real = V.parse(
    fs.readFileSync(path.join(__dirname, '..', 'data', 'phases.vmtrace.out'), 'utf8'));

test('the summary of a real run shows its figures', () => {
  const s = M.summary(real);
  const get = (k) => s.items.find((i) => i[0] === k)[1];
  assert.strictEqual(get('command'), 'tests/workloads/phases');
  assert.strictEqual(get('exit'), 'exit 0');
  assert.strictEqual(get('instructions'), '2,765,314');
  assert.strictEqual(get('faults'), '6,720 (6,720 minor, 0 major)');
  assert.strictEqual(get('pages touched'), '4,523 (17.7 MiB)');
  assert.strictEqual(get('peak resident'), '4,715 (18.4 MiB)');
  assert.match(get('page tables'), /^26 \(104 KiB\) at exit/);
});

test('the summary says what the run used that the model cannot see (run.unmodelled)', () => {
  const get = (d, k) => (M.summary(d).items.find((i) => i[0] === k) || [])[1];
  assert.strictEqual(get(real, 'not modelled'), undefined);
  const d = JSON.parse(JSON.stringify(real));
  d.run.unmodelled = ['io_uring', 'MADV_PAGEOUT'];
  assert.strictEqual(get(d, 'not modelled'), 'io_uring, MADV_PAGEOUT: the program used them, ' +
      'so some figures are not the kernel\'s (docs/manual.md, Not modelled yet)');
  d.run.unmodelled = ['io_uring'];
  assert.match(get(d, 'not modelled'), /^io_uring: the program used it,/);
  // before the faults, in the text report too
  const keys = M.summary(d).items.map((i) => i[0]);
  assert.ok(keys.indexOf('not modelled') < keys.indexOf('faults'));
  assert.match(views.text(views.FILE, d), /not modelled +io_uring: the program used it/);
});

test('the summary says when collection was on (run.collection), and shows no unmeasured 0',
    () => {
  const get = (d, k) => (M.summary(d).items.find((i) => i[0] === k) || [])[1];
  // collected throughout: no such key, no such line
  assert.strictEqual(get(real, 'collection'), undefined);
  const d = JSON.parse(JSON.stringify(real));
  d.run.collection = { started: true, instructions: 1734, nr_periods: 2,
    periods: [[132372, 132590], [132715, 134231]] };
  V.validate(d);
  assert.strictEqual(get(d, 'collection'), '1,734 of 2,765,314 instructions, in 2 periods ' +
      '(first from 132,372): the figures count only those');
  assert.strictEqual(get(d, 'faults'), '6,720 (6,720 minor, 0 major)');
  assert.ok(views.shown(views.FILE, d, 'text').some((v) => v.id === 'phases'));
  // the stretches while paused, which the time charts shade: before, between
  // and after the periods; none known beyond the periods a file lists
  assert.strictEqual(M.pausedIntervals(real), null);
  assert.deepStrictEqual(M.pausedIntervals(d),
      [[0, 132372], [132590, 132715], [134231, 2765314]]);
  const cut = JSON.parse(JSON.stringify(d));
  cut.run.collection.nr_periods = 101;
  assert.deepStrictEqual(M.pausedIntervals(cut), [[0, 132372], [132590, 132715]]);
  cut.run.collection.periods = [[0, 2765314]];
  cut.run.collection.nr_periods = 1;
  assert.deepStrictEqual(M.pausedIntervals(cut), []);
  // never started: the counted figures are not shown as 0s
  d.run.collection = { started: false, instructions: 0, nr_periods: 0, periods: [] };
  d.totals.faults = Object.fromEntries(Object.keys(d.totals.faults).map((k) => [k, 0]));
  d.totals.pages_touched = 0;
  V.validate(d);
  assert.match(get(d, 'collection'), /^never started \(--collect-atstart=no, no /);
  assert.strictEqual(get(d, 'faults'), 'not collected');
  assert.strictEqual(get(d, 'pages touched'), 'not collected');
  const ids = views.shown(views.FILE, d, 'text').map((v) => v.id);
  ['classes', 'labels', 'phases', 'faultsites'].forEach((id) =>
      assert.ok(!ids.includes(id), id + ' shown'));
  assert.ok(ids.includes('summary') && ids.includes('mappings'));
  const text = views.text(views.FILE, d);
  assert.match(text, /collection +never started/);
  assert.doesNotMatch(text, /faults +0 /);
  // the mappings keep what is resident, not the counted columns; the
  // timeline its resident pages only, and no heatmap
  d.timeline = { interval: 16384, epoch: 4096, t: [16384, 32768], wall_ms: [1, 2],
    rss: { anon: [3, 5] }, touched: [0, 0], faults: { anon: [0, 0] },
    wss: [{ tau: 100000, window: 102400, code: [0, 0], data: [0, 0] }] };
  const collected = JSON.parse(JSON.stringify(d));
  delete collected.run.collection;
  const mk = M.mappingTable(d).columns.map((c) => c.key);
  assert.ok(mk.includes('resident') && !mk.includes('touched') && !mk.includes('f_total'), mk);
  assert.deepStrictEqual(M.timelineTable(d, 20).columns.map((c) => c.key), ['t', 'rss']);
  assert.doesNotMatch(text, /Heatmap/);
  const charts = require('../../../reports/src/charts');
  assert.deepStrictEqual(charts.timeSpecs(d).map((c) => c.id), ['chart-memory']);
  assert.ok(!charts.timeSpecs(d)[0].series.some((x) => x.label === 'touched'));
  assert.deepStrictEqual(charts.timeSpecs(collected).map((c) => c.id),
      ['chart-memory', 'chart-wss']);
  assert.ok(charts.timeSpecs(collected)[0].series.some((x) => x.label === 'touched'));
  assert.ok(M.timelineTable(collected, 20).columns.length > 2);
  d.run.collection.started = 'no';
  assert.throws(() => V.validate(d), /run\.collection\.started should be bool/);
});

test('the summary shows each option as --OPTION would take it', () => {
  const d = JSON.parse(JSON.stringify(real));
  d.options = { thp: 'always', thp_zero_page: true, zero_page: false,
    thp_sizes: { '16kB': 'never', '64kB': 'always', '2048kB': 'inherit' } };
  const s = M.summary(d);
  assert.strictEqual(s.items.find((i) => i[0] === 'options')[1],
      'thp=always, thp_zero_page=yes, zero_page=no, ' +
      'thp_sizes=16kB:never,64kB:always,2048kB:inherit');
});

test('the mapping table has one row per mapping and only active fault classes', () => {
  const t = M.mappingTable(real);
  assert.strictEqual(t.rows.length, real.mappings.length);
  const keys = t.columns.map((c) => c.key);
  ['name', 'start', 'perms', 'kind', 'touched', 'resident', 'f_total', 'f_anon', 'f_zero',
      'f_file_read', 'f_file_cow', 'f_wp_copy'].forEach((k) => assert.ok(keys.includes(k), k));
  ['f_swap_in', 'f_file_major', 'f_invalid', 'f_major'].forEach((k) =>
      assert.ok(!keys.includes(k), k));
  const big = t.rows.find((r) => r.f_anon === 6144);
  assert.strictEqual(big.touched, 4096);
  assert.strictEqual(big.size, 16 << 20);
  assert.strictEqual(t.rows.filter((r) => r.unmapped).length, 3);
  const sum = t.rows.reduce((s, r) => s + r.f_total, 0);
  assert.strictEqual(sum, real.totals.faults.total);
});

test('anonymous mappings get a readable name', () => {
  assert.strictEqual(M.mappingName({ name: '', kind: 'bss', file: null }), '[bss]');
  assert.strictEqual(M.mappingName({ name: '[heap]', kind: 'heap' }), '[heap]');
});

test('labels, labels by phase and phases of the phases workload', () => {
  const l = M.labelTable(real);
  assert.deepStrictEqual(l.rows.map((r) => r.name), ['array', 'sparse', 'self']);
  const lp = M.labelPhaseTable(real);
  assert.deepStrictEqual(lp.rows.map((r) => r.label + '/' + r.phase),
      ['array/fill', 'array/free', 'sparse/sparse', 'sparse/touchup', 'self/file']);
  const p = M.phaseTable(real);
  assert.deepStrictEqual(p.rows.map((r) => r.name),
      ['main', 'fill', 'scan', 'sparse', 'touchup', 'file', 'free']);
  assert.strictEqual(p.rows.reduce((s, r) => s + r.touched, 0), real.totals.pages_touched);
});

test('fault classes table ends with the sums', () => {
  const t = M.faultClassTable(real);
  const names = t.rows.map((r) => r.name);
  assert.deepStrictEqual(names.slice(-3), ['minor', 'major', 'total']);
  assert.strictEqual(t.rows.find((r) => r.name === 'anon').count, 6157);
  assert.strictEqual(t.rows.find((r) => r.name === 'total').share, 1);
});

// A run without faults (--collect-atstart=no, never started) has no shares:
// the cells are empty, not "0%" (the total once read 0% of itself).
test('fault classes table of a run without faults: no share', () => {
  const d = JSON.parse(JSON.stringify(real));
  Object.keys(d.totals.faults).forEach((k) => { d.totals.faults[k] = 0; });
  const t = M.faultClassTable(d);
  assert.deepStrictEqual(t.rows.filter((r) => r.share !== null).map((r) => r.name), []);
  assert.deepStrictEqual(t.rows.map((r) => r.count).filter((c) => c !== 0), []);
});

test('views: planned ones only when present, in one order for the page and --text', () => {
  // The page has the charts (time), --text the sampled timeline (timeline).
  const ids = (d, how) => views.shown(views.FILE, d, how).map((v) => v.id);
  assert.deepStrictEqual(ids(real, 'text'),
      ['summary', 'classes', 'pagetables', 'mappings', 'labels', 'labelphases', 'phases']);
  assert.deepStrictEqual(ids(real, 'html'),
      ['summary', 'classes', 'pagetables', 'mappings', 'labels', 'labelphases', 'phases']);
  assert.deepStrictEqual(ids(fx.makeFile({}), 'text'),
      ['summary', 'classes', 'pagetables', 'mappings', 'labels', 'labelphases', 'phases',
          'timeline', 'invalid', 'faultsites', 'simulations']);
  assert.deepStrictEqual(ids(fx.makeFile({}), 'html'),
      ['summary', 'classes', 'pagetables', 'time', 'mappings', 'labels', 'labelphases', 'phases',
          'invalid', 'faultsites', 'simulations']);
});

test('the timeline table downsamples and sums faults between rows', () => {
  const d = fx.makeFile({});
  const t = M.timelineTable(d, 10);
  assert.strictEqual(t.rows.length, 10);
  assert.strictEqual(t.rows[0].t, d.timeline.t[0]);
  assert.strictEqual(t.rows[9].t, d.timeline.t[95]);
  let all = 0;
  Object.keys(d.timeline.faults).forEach((k) =>
      { if (k !== 'invalid') all += d.timeline.faults[k].reduce((a, b) => a + b, 0); });
  assert.strictEqual(t.rows.reduce((s, r) => s + r.faults, 0), all);
  assert.strictEqual(M.timelineTable(real), null);
});

test('a timeline row is the peak of its samples, and the run\'s peak inside a sample', () => {
  const d = fx.makeFile({});
  const tl = d.timeline;
  const len = tl.t.length;
  const kinds = Object.keys(tl.rss);
  kinds.forEach((k) => { tl.rss[k] = tl.t.map(() => 0); });
  tl.rss[kinds[0]] = tl.t.map(() => 100);
  tl.rss[kinds[0]][3] = 700; // between the rows of samples 0 and 5 (10 rows of 96)
  tl.wss.forEach((w) => { w.code = tl.t.map(() => 1); w.data = tl.t.map(() => 1); });
  tl.wss[0].data[7] = 41;
  // The run peaked inside sample 50 (after sample 49 closed), between two samples.
  d.totals.peak_resident_pages = 5000;
  d.totals.peak_resident_at = tl.t[49] + 1;
  const t = M.timelineTable(d, 10);
  const shown = t.rows.map((r) => tl.t.indexOf(r.t));
  assert.deepStrictEqual(shown, [0, 11, 21, 32, 42, 53, 63, 74, 84, 95]);
  assert.deepStrictEqual(t.rows.map((r) => r.rss),
      [100, 700, 100, 100, 100, 5000, 100, 100, 100, 100]);
  assert.deepStrictEqual(t.rows.map((r) => r.wss0), [2, 42, 2, 2, 2, 2, 2, 2, 2, 2]);
  assert.strictEqual(t.columns[1].title, 'peak resident');
  assert.strictEqual(len, 96);
});

test('simulation table and fault sites', () => {
  const d = fx.makeFile({});
  const s = M.simulationTable(d);
  assert.strictEqual(s.rows.length, d.simulations.length);
  assert.strictEqual(s.rows.find((r) => r.policy === 'fifo' && r.ram === 256).oom, 1);
  const f = M.faultSiteTable(d);
  assert.strictEqual(f.rows[0].count, 1000);
  assert.ok(Array.isArray(f.rows[0].stack));
});

// Three simulations of one policy: 256 pages with unlimited swap
// (swap_pages null), 512 with none (--swap=0: "0", 0 pages), 1024 stopped
// out of memory at 5,000,000 instructions; and a file written before
// `swap` existed, whose 0 meant unlimited.
test('stopped simulations apart; unlimited swap and none read as such', () => {
  const d = fx.makeFile({});
  const sims = d.simulations.filter((s) => s.policy === 'lru').slice(0, 3);
  sims[0].swap = 'unlimited'; sims[0].swap_pages = null;
  sims[1].swap = '0'; sims[1].swap_pages = 0;
  sims[2].swap = 'unlimited'; sims[2].swap_pages = null;
  sims[2].stopped_at = 5000000;
  // it held all of its 1,024 frames; the process had 1,500 pages mapped
  sims[2].resident_pages = 1024;
  sims[2].stopped = { time: 5000000, rss_pages: 1500, address: 0x4a2d000,
    stack: ['0x401234: main (phases.c:40)', '0x48F1D8F: (below main)'] };
  d.simulations = sims;
  const t = M.simulationTable(d);
  assert.deepStrictEqual(t.rows.map((r) => [r.ram, r.swap]), [[256, null], [512, 0]]);
  const swapCol = t.columns.find((c) => c.key === 'swap');
  assert.deepStrictEqual(t.rows.map((r) => swapCol.fmt(r.swap)), ['unlimited', 'none']);
  assert.match(t.note, /1 simulation stopped out of memory: listed apart/);
  const st = M.stoppedTable(d);
  assert.deepStrictEqual(
      st.rows.map((r) => [r.policy, r.ram, r.time, r.frames, r.rss, r.address]),
      [['lru', 1024, 5000000, 1024, 1500, 0x4a2d000]]);
  // each column says what it counts: the simulation's frames, the process's
  // RSS in the run's unlimited memory (above the RAM, and no bug)
  const col = (k) => st.columns.find((c) => c.key === k);
  assert.strictEqual(col('frames').title, 'frames in use');
  assert.strictEqual(col('rss').title, 'process RSS');
  assert.match(col('rss').tip, /unlimited/);
  assert.strictEqual(col('frames').fmt(1024), '1,024 (4 MiB)');
  assert.strictEqual(col('rss').fmt(1500), '1,500 (5.86 MiB)');
  assert.match(st.note,
      /Process RSS: the process's resident pages at that moment in the run's own /);
  assert.deepStrictEqual(st.rows[0].stack, sims[2].stopped.stack);
  const txt = views.FILE.find((v) => v.id === 'simulations').text(d);
  assert.match(txt, /^== Stopped out of memory ==$/m);
  assert.match(txt, /5,000,000/);
  assert.match(txt, /frames in use +process RSS/);
  // its evictions by mapping are those until it stopped, and say so
  sims[2].evictions_by_mapping = { 4: 7 };
  const ev = M.simEvictionTable(d, 2);
  assert.strictEqual(ev.title, 'Evictions by mapping: lru, 1,024 pages of RAM, until it ' +
      'stopped out of memory');
  assert.match(ev.note, /^It stopped out of memory at 5,000,000 instructions: these are its /);
  assert.strictEqual(M.simEvictionTable(d, 0), null);
  assert.match(txt, /1,024 \(4 MiB\) +1,500 \(5\.86 MiB\)/);
  assert.match(txt, /main \(phases\.c:40\)/);
  // the policy chart has no point for it
  const spec = require('../../../reports/src/charts').policySpec(d);
  assert.deepStrictEqual(spec.x, [256, 512]);
  // an old file: swap_pages 0 and no `swap` key meant unlimited
  delete sims[1].swap;
  assert.strictEqual(M.simulationTable(d).rows[1].swap, null);
  // none stopped: no such table
  d.simulations = sims.slice(0, 2);
  assert.strictEqual(M.stoppedTable(d), null);
});

test('evictions by mapping: a simulation\'s mappings, most evicted first, with refaults', () => {
  const d = fx.makeFile({});
  const [a, b, c] = d.mappings;
  const s = d.simulations[0];
  s.evictions = 17;
  s.evictions_by_mapping = { [a.id]: 5, [b.id]: 12 };
  s.refaults_by_mapping = { [b.id]: 7, [c.id]: 2 };   // c: refaulted, none evicted now
  const t = M.simEvictionTable(d, 0);
  assert.deepStrictEqual(t.rows.map((r) => [r.id, r.name, r.evicted, r.refaulted]), [
    [b.id, M.mappingName(b), 12, 7], [a.id, M.mappingName(a), 5, 0],
    [c.id, M.mappingName(c), 0, 2]]);
  assert.match(t.title, new RegExp('^Evictions by mapping: ' + s.policy + ', ' +
      s.ram_pages + ' pages of RAM$'));
  assert.match(t.note, /17 in all/);
  // a file written before refaults_by_mapping: refaults unknown, not 0
  delete s.refaults_by_mapping;
  assert.deepStrictEqual(M.simEvictionTable(d, 0).rows.map((r) => r.refaulted), [null, null]);
  // before evictions_by_mapping: no table
  delete s.evictions_by_mapping;
  assert.strictEqual(M.simEvictionTable(d, 0), null);
  // --text: one section per simulation that evicted, its top 5
  s.evictions_by_mapping = { [a.id]: 5, [b.id]: 12 };
  const txt = views.FILE.find((v) => v.id === 'simulations').text(d);
  assert.match(txt, new RegExp('^== Evictions by mapping: ' + s.policy + ', ', 'm'));
  // a bad key is refused by the reader
  s.evictions_by_mapping = { x: 1 };
  assert.throws(() => V.validate(d), /evictions_by_mapping: key "x" is not a mapping id/);
});

test('exact curves are drawn over their own process only', () => {
  const d = fx.makeFile({});
  const own = { name: 'own.json', data: fx.makeSimResult() };
  const other = { name: 'other.json', data: fx.makeSimResult({ pid: 4343 }) };
  // its own: both curves, no note
  let r = M.curvesFor(d, [own]);
  assert.deepStrictEqual(r.curves.map((c) => c.policy), ['lru', 'opt']);
  assert.deepStrictEqual(r.notes, []);
  // another process's, given first: refused with a note; its own still drawn
  r = M.curvesFor(d, [other, own]);
  assert.strictEqual(r.curves.length, 2);
  assert.ok(r.curves.every((c) => own.data.curves.indexOf(c) >= 0));
  assert.deepStrictEqual(r.notes, ['The exact lru and opt curves of other.json are not drawn: ' +
      'they are of another process (pid 4343, trace 000000005eed10f7; this one: pid 4242, ' +
      'trace 000000005eed1092).']);
  // a result that does not say its trace's process (an older vmtrace-sim,
  // a trace from elsewhere): refused
  const anon = { name: 'anon.json', data: fx.makeSimResult() };
  delete anon.data.traces[0].process;
  r = M.curvesFor(d, [anon]);
  assert.deepStrictEqual([r.curves, r.notes], [[], ['The exact lru and opt curves of ' +
      'anon.json are not drawn: the result does not say which process its trace ' +
      'synthetic.vmtrace recorded.']]);
  // the reader: a process is an object with pid and id, or null
  anon.data.traces[0].process = 'pid 4242';
  assert.throws(() => V.validate(anon.data), /traces\[0\]\.process should be object or null/);
  anon.data.traces[0].process = { pid: 4242 };
  assert.throws(() => V.validate(anon.data), /id/);
  anon.data.traces[0].process = null;
  V.validate(anon.data);
  // what the trace's simulations saw beyond the curves' stream
  // (vmtrace-sim's traces[].replay): the curves are drawn, with a note
  // naming each non-zero count; all zero (or none, older results): none
  const apart = { name: 'apart.json', data: fx.makeSimResult() };
  apart.data.traces[0].replay = { prefaults: 336, populate_references: 0,
    zero_page_references: 12, locked_references: 0, faults_on_seen_pages: 1163 };
  r = M.curvesFor(d, [apart]);
  assert.strictEqual(r.curves.length, 2);
  assert.deepStrictEqual(r.notes, ['The exact lru and opt curves of apart.json count the ' +
      'misses of the trace\'s reference stream; this process\'s simulations also saw 336 ' +
      'prefaults, 12 zero-page reads, 1,163 faults on pages the stream had seen, which that ' +
      'stream does not hold, so a curve and a simulation at one RAM size need not agree ' +
      '(docs/vmtrace-sim.md, "Curves and simulations of a vmtrace trace").']);
  apart.data.traces[0].replay = { prefaults: 0, populate_references: 0,
    zero_page_references: 0, locked_references: 0, faults_on_seen_pages: 0 };
  assert.deepStrictEqual(M.curvesFor(d, [apart]).notes, []);
  apart.data.traces[0].replay = null;
  assert.deepStrictEqual(M.curvesFor(d, [apart]).notes, []);
  // a file that names no page trace: nothing is known to be its
  delete d.run.trace_id;
  r = M.curvesFor(d, [own]);
  assert.strictEqual(r.curves.length, 0);
  assert.match(r.notes[0], /this file names no page trace/);
});

// OOM events: the output file counts them all (oom_count) and keeps the
// first 10 (oom_events); the table shows the count. xz -1 under 64 pages,
// no swap and --oom=continue had 51,716,721 (the table read 10).
test('the OOM events column is oom_count, not the 10 events kept', () => {
  const d = fx.makeFile({});
  const s = d.simulations.find((x) => x.policy === 'fifo' && x.ram_pages === 256);
  s.oom_events = Array.from({ length: 10 }, (_, k) =>
    ({ time: 1000 + k, rss_pages: 300, address: 4096, stack: [] }));
  s.oom_count = 51716721;
  const row = () => M.simulationTable(d).rows.find((r) => r.policy === 'fifo' && r.ram === 256);
  assert.strictEqual(row().oom, 51716721);
  const txt = views.FILE.find((v) => v.id === 'simulations').text(d);
  assert.match(txt, /fifo +256 \(1 MiB\).* 51,716,721$/m);
  // a file without oom_count: its events
  delete s.oom_count;
  assert.strictEqual(row().oom, 10);
});

// A simulation that went on out of memory: the table keeps its row (with
// its OOM events) and says why its faults do not compare; the list of
// simulations names its OOM events.
test('a simulation that went on out of memory: its row, the note, its name', () => {
  const M = require('../../../reports/src/model');
  const d = { page_size: 4096, simulations: [
    { policy: 'lru', ram_pages: 16, swap_pages: 0, swap: '0', faults: { total: 422, major: 392,
      minor: 30 }, oom_count: 493401, stopped_at: null },
    { policy: 'lru', ram_pages: 256, swap_pages: 0, swap: '0', faults: { total: 121, major: 1,
      minor: 120 }, oom_count: 0, stopped_at: null }] };
  const t = M.simulationTable(d);
  assert.deepStrictEqual(t.rows.map((r) => [r.ram, r.faults, r.oom]), [[16, 422, 493401],
    [256, 121, 0]]);
  assert.ok(t.note.includes(' 1 simulation ran out of memory and went on (--oom=continue, ' +
      'a row with OOM events): a reference that found no frame is an OOM event, not a fault'),
      t.note);
  assert.strictEqual(M.simName(d.simulations[0], 4096), 'lru, 16 pages (64 KiB), 392 major ' +
      'faults, 493,401 OOM events (went on out of memory: does not compare)');
  assert.strictEqual(M.simName(d.simulations[1], 4096), 'lru, 256 pages (1 MiB), 1 major fault');
});
