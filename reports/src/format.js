'use strict';
// Number, size, address and command formatting shared by the HTML viewer
// and the --text output. Pure functions, no DOM, no Node built-ins.

function isNum(v) {
  return typeof v === 'number' && isFinite(v);
}

// 1234567 -> "1,234,567" (fixed separator, independent of the locale).
function int(n) {
  if (!isNum(n)) return n === null || n === undefined ? '' : String(n);
  var neg = n < 0;
  var s = String(Math.round(Math.abs(n)));
  var out = '';
  while (s.length > 3) {
    out = ',' + s.slice(-3) + out;
    s = s.slice(0, -3);
  }
  return (neg ? '-' : '') + s + out;
}

// A count that may have a fraction (PSS: thousandths of a page), with up to
// three decimals: 1135.5 -> "1,135.5", 2359 -> "2,359".
function dec(n) {
  if (!isNum(n)) return n === null || n === undefined ? '' : String(n);
  var r = Math.round(n * 1000) / 1000;
  var whole = r < 0 ? Math.ceil(r) : Math.floor(r);
  var frac = Math.round(Math.abs(r - whole) * 1000);
  return (r < 0 && whole === 0 ? '-' : '') + int(whole) +
      (frac ? '.' + ('00' + frac).slice(-3).replace(/0+$/, '') : '');
}

// Binary units: 4096 -> "4 KiB", 1572864 -> "1.5 MiB".
var UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
function bytes(n) {
  if (!isNum(n)) return '';
  var v = Math.abs(n);
  var u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  var digits = u === 0 || v >= 100 || Math.round(v) === v ? 0 : v >= 10 ? 1 : 2;
  var s = v.toFixed(digits);
  if (digits > 0) s = s.replace(/\.?0+$/, '');
  return (n < 0 ? '-' : '') + s + ' ' + UNITS[u];
}

// Pages with their size: "4,096 (16 MiB)".
function pages(n, pageSize) {
  if (!isNum(n)) return '';
  return int(n) + ' (' + bytes(n * (pageSize || 4096)) + ')';
}

// A count and its noun, the noun singular at exactly 1: count(1, 'page') ->
// "1 page", count(4096, 'page') -> "4,096 pages", count(0, 'page') -> "0 pages".
// plural: where it is not the noun + "s" ('process', 'processes'); fmt: how
// the number is written (int by default; dec for fractions of pages, si).
function count(n, noun, plural, fmt) {
  return (fmt || int)(n) + ' ' + (n === 1 ? noun : plural || noun + 's');
}

// Compact decimal for large counts: 2765314 -> "2.77M".
var SI = [[1e15, 'P'], [1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
function si(n) {
  if (!isNum(n)) return '';
  var a = Math.abs(n);
  for (var i = 0; i < SI.length; i++) {
    if (a >= SI[i][0]) {
      var v = n / SI[i][0];
      var s = Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
      if (s.indexOf('.') >= 0) s = s.replace(/\.?0+$/, '');
      return s + SI[i][1];
    }
  }
  return String(Math.round(n * 100) / 100);
}

// The decimals that tell apart ticks `step` apart: those of the step itself
// (axes step by 1, 2, 2.5 or 5 x 10^k: shown exactly), at most one more than
// its order of magnitude needs (a step that is no round figure).
function stepDecimals(step) {
  if (!(step > 0) || !isFinite(step)) return 0;
  var need = Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));
  for (var d = 0; d <= need; d++) {
    var x = step * Math.pow(10, d);
    if (Math.abs(x - Math.round(x)) < 1e-9 * Math.max(1, x)) return d;
  }
  return Math.min(need + 1, 20);
}

// An axis tick `step` from its neighbours: as si, with the digits the step
// needs (a zoom of 10,000 instructions at 2.7M: 2.7M, 2.7005M, 2.701M, …).
function siTick(n, step) {
  if (!isNum(n)) return '';
  if (!(step > 0)) return si(n);
  var a = Math.abs(n);
  var scale = 1;
  var suffix = '';
  for (var i = 0; i < SI.length; i++) {
    if (a >= SI[i][0]) { scale = SI[i][0]; suffix = SI[i][1]; break; }
  }
  var v = n / scale;
  var d = scale === 1 ? 2 : Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2;
  d = Math.max(d, stepDecimals(step / scale));
  var s = v.toFixed(d);
  if (s.indexOf('.') >= 0) s = s.replace(/\.?0+$/, '');
  return s + suffix;
}

// Addresses the way the tool's log prints them: 12 hex digits.
function hex(n) {
  if (!isNum(n)) return '';
  var s = Math.floor(n).toString(16);
  while (s.length < 12) s = '0' + s;
  return '0x' + s;
}

function range(start, end) {
  return hex(start) + '-' + hex(end);
}

// A command line as a shell would need it typed.
function shellWord(w) {
  w = String(w);
  if (w !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(w)) return w;
  return "'" + w.replace(/'/g, "'\\''") + "'";
}
function command(argv) {
  if (!Array.isArray(argv)) return '';
  return argv.map(shellWord).join(' ');
}

var SIGNALS = {
  1: 'SIGHUP', 2: 'SIGINT', 3: 'SIGQUIT', 4: 'SIGILL', 5: 'SIGTRAP', 6: 'SIGABRT',
  7: 'SIGBUS', 8: 'SIGFPE', 9: 'SIGKILL', 10: 'SIGUSR1', 11: 'SIGSEGV', 12: 'SIGUSR2',
  13: 'SIGPIPE', 14: 'SIGALRM', 15: 'SIGTERM', 24: 'SIGXCPU', 25: 'SIGXFSZ', 31: 'SIGSYS'
};
function exit(e) {
  if (!e || typeof e !== 'object') return 'unknown';
  if (e.status === 'exit') return 'exit ' + e.code;
  if (e.status === 'signal') {
    // null: killed by a signal Valgrind's tools are not told (one sent by
    // another process, with its default action)
    if (e.signal === null) return 'signal (which not known)';
    return 'signal ' + e.signal + (SIGNALS[e.signal] ? ' (' + SIGNALS[e.signal] + ')' : '');
  }
  if (e.status === 'exec') return 'exec (image replaced)';
  return String(e.status);
}

// Rounded to its unit's digits before the unit is chosen: 119.6 s is
// "2 min 0 s", 0.9996 s "1.00 s".
function seconds(s) {
  if (!isNum(s)) return '';
  if (Math.round(s * 1000) < 1000) return (s * 1000).toFixed(0) + ' ms';
  if (Math.round(s * 100) < 1000) return s.toFixed(2) + ' s';
  if (Math.round(s * 10) < 600) return s.toFixed(1) + ' s';
  var r = Math.round(s);
  var m = Math.floor(r / 60);
  return m + ' min ' + (r - m * 60) + ' s';
}

// A time axis tick `step` seconds from its neighbours: as seconds, with
// the digits the step needs.
function secondsTick(s, step) {
  if (!isNum(s)) return '';
  if (!(step > 0)) return seconds(s);
  if (s < 1) return (s * 1000).toFixed(stepDecimals(step * 1000)) + ' ms';
  var d = stepDecimals(step);
  if (s < 60) return s.toFixed(Math.max(s < 10 ? 2 : 1, d)) + ' s';
  var r = Number(s.toFixed(d));
  var m = Math.floor(r / 60);
  return m + ' min ' + (r - m * 60).toFixed(d) + ' s';
}

function date(epochSeconds) {
  if (!isNum(epochSeconds)) return '';
  return new Date(epochSeconds * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

function percent(part, whole) {
  if (!isNum(part) || !isNum(whole) || whole === 0) return '';
  var p = (100 * part) / whole;
  if (p > 0 && p < 0.1) return '<0.1%';
  return (p >= 10 || p === 0 ? p.toFixed(0) : p.toFixed(1)) + '%';
}

// Control characters made visible, for terminal output (a file name may
// hold an escape sequence).
function printable(s) {
  // eslint-disable-next-line no-control-regex -- control characters are what it finds
  return String(s).replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, function (c) {
    var h = c.charCodeAt(0).toString(16);
    return c.charCodeAt(0) > 0xff ? '\\u' + ('000' + h).slice(-4) : '\\x' + ('0' + h).slice(-2);
  });
}

// The columns a string takes on a terminal, as wcwidth(3) counts them:
// combining marks, variation selectors and zero-width characters take none,
// East Asian wide and fullwidth characters (CJK, Hangul, fullwidth forms)
// and emoji take two, the rest one. Text tables and the heatmap's names are
// aligned by it, so that a label such as 数据 does not push its row's
// columns out of line.
// eslint-disable-next-line no-misleading-character-class -- it counts marks one by one
var ZERO_WIDTH = /[\p{Mn}\p{Me}\u200b-\u200f\u2060-\u2064\ufe00-\ufe0f\u{e0100}-\u{e01ef}]/gu;
var WIDE = new RegExp('[' +
    '\\u1100-\\u115f\\u231a\\u231b\\u2329\\u232a\\u23e9-\\u23ec\\u23f0\\u23f3\\u25fd' +
    '\\u25fe\\u2614\\u2615\\u2648-\\u2653\\u267f\\u2693\\u26a1\\u26aa\\u26ab\\u26bd' +
    '\\u26be\\u26c4\\u26c5\\u26ce\\u26d4\\u26ea\\u26f2\\u26f3\\u26f5\\u26fa\\u26fd' +
    '\\u2705\\u270a\\u270b\\u2728\\u274c\\u274e\\u2753-\\u2755\\u2757\\u2795-\\u2797' +
    '\\u27b0\\u27bf\\u2b1b\\u2b1c\\u2b50\\u2b55\\u2e80-\\u303e\\u3041-\\u33ff' +
    '\\u3400-\\u4dbf\\u4e00-\\u9fff\\ua000-\\ua4cf\\ua960-\\ua97f\\uac00-\\ud7a3' +
    '\\uf900-\\ufaff\\ufe10-\\ufe19\\ufe30-\\ufe6f\\uff00-\\uff60\\uffe0-\\uffe6' +
    '\\u{16fe0}-\\u{18cff}\\u{1b000}-\\u{1b2ff}\\u{1f004}\\u{1f0cf}\\u{1f18e}' +
    '\\u{1f191}-\\u{1f19a}\\u{1f200}-\\u{1f2ff}\\u{1f300}-\\u{1f64f}' +
    '\\u{1f680}-\\u{1f6ff}\\u{1f7e0}-\\u{1f7eb}\\u{1f90c}-\\u{1f9ff}' +
    '\\u{1fa70}-\\u{1faff}\\u{20000}-\\u{2fffd}\\u{30000}-\\u{3fffd}' +
    ']', 'gu');
function width(s) {
  s = String(s);
  if (NARROW.test(s)) return s.length;
  var n = 0;
  // eslint-disable-next-line no-unused-vars -- counting code points
  for (var c of s) n++;
  var z = s.match(ZERO_WIDTH);
  var w = s.match(WIDE);
  return n - (z ? z.length : 0) + (w ? w.length : 0);
}
var NARROW = /^[ -\u02ff]*$/;

// s cut to at most max terminal columns (width), its end replaced by '…'
// when it is longer: a compiler's or a linker's command line (ld's runs to
// a thousand columns) in a table column.
function clip(s, max) {
  s = String(s);
  if (width(s) <= max) return s;
  var out = '';
  var w = 0;
  for (var c of s) {
    var cw = width(c);
    if (w + cw > max - 1) break;
    out += c;
    w += cw;
  }
  return out + '…';
}

module.exports = {
  width: width, clip: clip,
  int: int, dec: dec, count: count, bytes: bytes, pages: pages, si: si, siTick: siTick, hex: hex,
  range: range,
  command: command, shellWord: shellWord, exit: exit, seconds: seconds,
  secondsTick: secondsTick, date: date,
  percent: percent, printable: printable, isNum: isNum
};
