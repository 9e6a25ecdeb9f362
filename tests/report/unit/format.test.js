'use strict';
const test = require('node:test');
const assert = require('node:assert');
const F = require('../../../reports/src/format');

test('format.int groups thousands with commas, whatever the locale', () => {
  assert.strictEqual(F.int(0), '0');
  assert.strictEqual(F.int(999), '999');
  assert.strictEqual(F.int(1000), '1,000');
  assert.strictEqual(F.int(1234567), '1,234,567');
  assert.strictEqual(F.int(-4096), '-4,096');
  assert.strictEqual(F.int(null), '');
});

test('format.bytes uses binary units', () => {
  assert.strictEqual(F.bytes(0), '0 B');
  assert.strictEqual(F.bytes(4096), '4 KiB');
  assert.strictEqual(F.bytes(1536 * 1024), '1.5 MiB');
  assert.strictEqual(F.bytes(16 * 1024 * 1024), '16 MiB');
  assert.strictEqual(F.bytes(4523 * 4096), '17.7 MiB');
  assert.strictEqual(F.pages(4096, 4096), '4,096 (16 MiB)');
});

test('format.si shortens large counts without eating zeros', () => {
  assert.strictEqual(F.si(2765314), '2.77M');
  assert.strictEqual(F.si(100000000), '100M');
  assert.strictEqual(F.si(1000000), '1M');
  assert.strictEqual(F.si(10000000), '10M');
  assert.strictEqual(F.si(1500), '1.5k');
  assert.strictEqual(F.si(999), '999');
});

test('format.hex pads addresses to 12 digits like the log', () => {
  assert.strictEqual(F.hex(0x108000), '0x000000108000');
  assert.strictEqual(F.hex(0x7ffffffde000), '0x7ffffffde000');
  assert.strictEqual(F.range(4096, 8192), '0x000000001000-0x000000002000');
});

test('format.command quotes words a shell would split', () => {
  assert.strictEqual(F.command(['./prog', '-n', '3']), './prog -n 3');
  assert.strictEqual(F.command(['a b', "it's", '']), "'a b' 'it'\\''s' ''");
  assert.strictEqual(F.command(['<img src=x>']), "'<img src=x>'");
});

test('format.exit names signals and exec', () => {
  assert.strictEqual(F.exit({ status: 'exit', code: 3 }), 'exit 3');
  assert.strictEqual(F.exit({ status: 'signal', signal: 11 }), 'signal 11 (SIGSEGV)');
  assert.strictEqual(F.exit({ status: 'signal', signal: null }), 'signal (which not known)');
  assert.strictEqual(F.exit({ status: 'exec' }), 'exec (image replaced)');
});

test('format.percent and printable', () => {
  assert.strictEqual(F.percent(1, 4), '25%');
  assert.strictEqual(F.percent(2, 6720), '<0.1%');
  assert.strictEqual(F.percent(0, 10), '0%');
  assert.strictEqual(F.percent(1, 0), '');
  assert.strictEqual(F.printable('a\x1b[31mb\n'), 'a\\x1b[31mb\\x0a');
  assert.strictEqual(F.printable('x\u2028y'), 'x\\u2028y');
});

// An axis's ticks are `step` apart: each label shows enough digits for the
// step, so ticks never share a label (a 10,000-instruction zoom of a
// 2.7M-instruction run once read "2.7M" ten times, then "2.71M" eleven).
test('format.siTick and secondsTick: distinct labels for ticks a step apart', () => {
  const ticks = (from, step, n) => Array.from({ length: n }, (x, i) => from + i * step);
  const zoom = ticks(2700000, 500, 21).map((v) => F.siTick(v, 500));
  assert.strictEqual(new Set(zoom).size, 21, zoom.join(' '));
  assert.deepStrictEqual(zoom.slice(0, 3), ['2.7M', '2.7005M', '2.701M']);
  // a coarse step: as si
  assert.strictEqual(F.siTick(2765314, 1e6), F.si(2765314));
  assert.strictEqual(F.siTick(150e9, 50e9), '150G');
  assert.strictEqual(F.siTick(0, 1e5), '0');
  const far = ticks(1099511644161, 25000, 9).map((v) => F.siTick(v, 25000));
  assert.strictEqual(new Set(far).size, 9, far.join(' '));
  assert.strictEqual(F.siTick(2000025, 25), '2.000025M');
  assert.strictEqual(F.siTick(2.0025e6, 2500), '2.0025M');
  const s = ticks(1.5, 0.002, 6).map((v) => F.secondsTick(v, 0.002));
  assert.deepStrictEqual(s, ['1.500 s', '1.502 s', '1.504 s', '1.506 s', '1.508 s', '1.510 s']);
  const ms = ticks(0.003, 0.0005, 4).map((v) => F.secondsTick(v, 0.0005));
  assert.deepStrictEqual(ms, ['3.0 ms', '3.5 ms', '4.0 ms', '4.5 ms']);
  assert.strictEqual(F.secondsTick(12.5, 5), F.seconds(12.5));
  const mins = ticks(119, 0.5, 3).map((v) => F.secondsTick(v, 0.5));
  assert.deepStrictEqual(mins, ['1 min 59.0 s', '1 min 59.5 s', '2 min 0.0 s']);
});

// A duration rounds before it picks its unit: 119.6 s is 2 min 0 s, not
// "1 min 60 s"; 59.97 s is 1 min 0 s, not "60.0 s"; 0.9996 s is 1.00 s.
test('format.seconds rounds before choosing ms, s or min', () => {
  assert.strictEqual(F.seconds(119.6), '2 min 0 s');
  assert.strictEqual(F.seconds(59.97), '1 min 0 s');
  assert.strictEqual(F.seconds(9.999), '10.0 s');
  assert.strictEqual(F.seconds(0.9996), '1.00 s');
  assert.strictEqual(F.seconds(0.0004), '0 ms');
  assert.strictEqual(F.seconds(0.25), '250 ms');
  assert.strictEqual(F.seconds(3.456), '3.46 s');
  assert.strictEqual(F.seconds(75.4), '1 min 15 s');
});
