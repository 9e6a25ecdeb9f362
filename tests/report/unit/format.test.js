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
