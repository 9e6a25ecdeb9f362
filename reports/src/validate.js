'use strict';
// Parsing and validation of vmtrace output files (docs/output-format.md):
// the tool's ("format": "vmtrace-out") and vmtrace-native's
// ("format": "vmtrace-native"). parse(text) returns the data or throws a
// VmtraceFormatError whose message is one line naming the problem. Pure: no
// file system access here.
//
// Whatever passes is safe for every view: counts are exact integers that are
// not negative, times fit a Date, nothing is nested deeper than the format
// goes, so no file can make the report fail later (tests/report/fuzz).
// Every step is linear in the size of the text.

var SUPPORTED_VERSION = 1;
var NATIVE_FORMAT = 'vmtrace-native';
var SIM_FORMAT = 'vmtrace-sim';
var TREE_FORMAT = 'vmtrace-sim-tree';

var FAULT_KEYS = ['total', 'minor', 'major', 'invalid'];

// The format nests 6 levels (labels[].phases.NAME.faults); options and tool
// may hold more. Deeper text is refused before JSON.parse sees it.
var MAX_DEPTH = 64;
// Seconds since the epoch that a Date can hold (ECMAScript: ±8.64e15 ms).
var MAX_TIME = 8.64e12;

function VmtraceFormatError(message) {
  this.name = 'VmtraceFormatError';
  this.message = message;
}
VmtraceFormatError.prototype = Object.create(Error.prototype);
VmtraceFormatError.prototype.constructor = VmtraceFormatError;

function fail(msg) {
  throw new VmtraceFormatError(msg);
}

function typeName(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function isObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function isInt(v) {
  return typeof v === 'number' && isFinite(v) && Math.floor(v) === v;
}

var TYPES = {
  int: isInt,
  number: function (v) { return typeof v === 'number' && isFinite(v); },
  time: function (v) { return typeof v === 'number' && isFinite(v); },
  string: function (v) { return typeof v === 'string'; },
  bool: function (v) { return typeof v === 'boolean'; },
  array: Array.isArray,
  object: isObject
};

// type: a key of TYPES, "any", or "T|null". An int is a count, size, address
// or pid: from 0 to 2^53 - 1 (beyond, a double no longer holds every integer,
// so the figure would not be exact); a time is seconds since the epoch that a
// Date can hold.
function need(obj, key, type, where) {
  var path = where ? where + '.' + key : key;
  if (!isObject(obj) || !Object.prototype.hasOwnProperty.call(obj, key)) {
    fail('missing key ' + path);
  }
  var v = obj[key];
  if (type === 'any') return v;
  var t = type.split('|');
  if (v === null && t[1] === 'null') return v;
  if (!TYPES[t[0]](v)) {
    fail(path + ' should be ' + type.replace('time', 'number').replace('|', ' or ') + ', not ' +
      typeName(v));
  }
  if (t[0] === 'int' && v < 0) fail(path + ' should not be negative, not ' + v);
  if (t[0] === 'int' && v > Number.MAX_SAFE_INTEGER) {
    fail(path + ' should be below 2^53, not ' + v);
  }
  if (t[0] === 'time' && Math.abs(v) > MAX_TIME) {
    fail(path + ' should be seconds since 1970 (at most ' + MAX_TIME + '), not ' + v);
  }
  return v;
}

// The keys of `schema` ({key: type}), in its order; returns obj.
function needAll(obj, where, schema) {
  Object.keys(schema).forEach(function (k) { need(obj, k, schema[k], where); });
  return obj;
}

// A key that may be absent; checked when it is there.
function may(obj, key, type, where) {
  if (isObject(obj) && obj[key] !== undefined) need(obj, key, type, where);
}

function checkFaults(f, where, classes) {
  for (var i = 0; i < FAULT_KEYS.length; i++) need(f, FAULT_KEYS[i], 'int', where);
  for (var j = 0; j < classes.length; j++) {
    if (classes[j] !== 'invalid') need(f, classes[j], 'int', where);
  }
}

// A column of a timeline: len values, each a count or null; wall-clock
// columns (ms since the epoch) must fit a Date.
function checkSeries(arr, len, where, against, isTime) {
  if (!Array.isArray(arr)) fail(where + ' should be array, not ' + typeName(arr));
  if (arr.length !== len) {
    fail(where + ' has ' + arr.length + (arr.length === 1 ? ' entry, ' : ' entries, ') +
        (against || 'timeline.t') + ' has ' + len);
  }
  for (var i = 0; i < arr.length; i++) {
    var v = arr[i];
    if (v === null) continue;
    if (typeof v !== 'number') fail(where + '[' + i + '] should be a number');
    if (!isFinite(v) || v < 0 || v > Number.MAX_SAFE_INTEGER || (isTime && v > MAX_TIME * 1000)) {
      fail(where + '[' + i + '] should be a number from 0 to ' +
        (isTime ? MAX_TIME * 1000 : '2^53') + ', not ' + v);
    }
  }
}

// Sample times close one after the other (a fork's sample and the next can
// share one): a time below its predecessor's is a corrupt file, whose
// charts and tables would run backwards.
function checkOrder(arr, where) {
  var prev = null;
  for (var i = 0; i < arr.length; i++) {
    var v = arr[i];
    if (v === null) continue;
    if (prev !== null && v < arr[prev]) {
      fail(where + '[' + i + '] is ' + v + ', before ' + where + '[' + prev + '] ' + arr[prev] +
          ': samples should be in time order');
    }
    prev = i;
  }
}

function checkStrings(arr, where) {
  arr.forEach(function (w, i) {
    if (typeof w !== 'string') fail(where + '[' + i + '] should be string, not ' + typeName(w));
  });
}

function checkPageSize(d) {
  var ps = need(d, 'page_size', 'int');
  if (!(ps > 0) || !Number.isInteger(Math.log2(ps))) {
    fail('page_size should be a power of two, not ' + ps);
  }
}

function validateTimeline(tl) {
  need({ timeline: tl }, 'timeline', 'object');
  need(tl, 'interval', 'int', 'timeline');
  var t = need(tl, 't', 'array', 'timeline');
  checkSeries(t, t.length, 'timeline.t');
  checkOrder(t, 'timeline.t');
  var n = t.length;
  if (tl.rss !== undefined) {
    need(tl, 'rss', 'object', 'timeline');
    Object.keys(tl.rss).forEach(function (k) { checkSeries(tl.rss[k], n, 'timeline.rss.' + k); });
  }
  if (tl.touched !== undefined) checkSeries(tl.touched, n, 'timeline.touched');
  ['wall_ms', 'pss_x1000', 'uss'].forEach(function (k) {
    if (tl[k] !== undefined) checkSeries(tl[k], n, 'timeline.' + k, null, k === 'wall_ms');
  });
  if (tl.faults !== undefined) {
    need(tl, 'faults', 'object', 'timeline');
    Object.keys(tl.faults).forEach(function (k) {
      checkSeries(tl.faults[k], n, 'timeline.faults.' + k);
    });
  }
  if (tl.wss !== undefined) {
    need(tl, 'wss', 'array', 'timeline');
    tl.wss.forEach(function (w, i) {
      var where = 'timeline.wss[' + i + ']';
      need(w, 'tau', 'int', where);
      ['code', 'data', 'total'].forEach(function (k) {
        if (w[k] !== undefined) checkSeries(w[k], n, where + '.' + k);
      });
    });
  }
  if (tl.simulations !== undefined) {
    need(tl, 'simulations', 'array', 'timeline');
    tl.simulations.forEach(function (ss, i) {
      var where = 'timeline.simulations[' + i + ']';
      need({ s: ss }, 's', 'object', where);
      SIM_SERIES.forEach(function (k) {
        var a = need(ss, k, 'array', where);
        if (a.length) checkSeries(a, n, where + '.' + k);
      });
    });
  }
}

var SIM_SERIES = ['resident', 'anon', 'swap_used', 'minor', 'swap_in', 'file_major', 'swap_out',
  'evictions'];

function validateHeat(hm) {
  need({ heat: hm }, 'heat', 'object');
  ['epoch', 'column_epochs', 'chunk_pages'].forEach(function (k) {
    if (need(hm, k, 'int', 'heat') === 0) fail('heat.' + k + ' should be above 0, not 0');
  });
  var ncols = need(hm, 'columns', 'int', 'heat');
  var last = need(hm, 'last_epochs', 'int', 'heat');
  if (last > hm.column_epochs) {
    fail('heat.last_epochs is ' + last + ', above column_epochs ' + hm.column_epochs);
  }
  var rows = need(hm, 'rows', 'array', 'heat');
  rows.forEach(function (r, i) {
    var where = 'heat.rows[' + i + ']';
    needAll(r, where, { start: 'int', end: 'int', cells: 'array' });
    r.cells.forEach(function (run, k) {
      var w = where + '.cells[' + k + ']';
      need({ run: run }, 'run', 'array', w);
      checkSeries(run, run.length, w);
      if (run.length < 2 || run[0] + run.length - 1 > ncols) {
        fail(w + ' should be [first column, value...] inside ' + ncols + ' columns');
      }
    });
  });
}

function validateFaultSites(sites) {
  need({ fault_sites: sites }, 'fault_sites', 'array');
  sites.forEach(function (s, i) {
    var where = 'fault_sites[' + i + ']';
    needAll(s, where, { 'class': 'string', count: 'int', stack: 'array' });
    checkStrings(s.stack, where + '.stack');
  });
}

function validateSimulations(sims, classes) {
  need({ simulations: sims }, 'simulations', 'array');
  sims.forEach(function (s, i) {
    var where = 'simulations[' + i + ']';
    needAll(s, where, { policy: 'string', ram_pages: 'int', faults: 'object' });
    checkFaults(s.faults, where + '.faults', classes);
    ['evictions_by_mapping', 'refaults_by_mapping'].forEach(function (k) {
      may(s, k, 'object', where);
      if (isObject(s[k])) {
        Object.keys(s[k]).forEach(function (id) {
          if (!/^[0-9]+$/.test(id)) {
            fail(where + '.' + k + ': key ' + JSON.stringify(id).slice(0, 40) +
              ' is not a mapping id');
          }
          need(s[k], id, 'int', where + '.' + k);
        });
      }
    });
  });
}

// --tlb=yes: the tlb section, timeline.tlb and the tlb objects beside
// faults (totals, mappings, phases, labels, label phases); all optional.
var TLB_KEYS = ['dtlb_misses', 'itlb_misses', 'dtlb_walks', 'itlb_walks'];
var TLB_SIDE = ['l1_misses', 'l2_hits', 'walks', 'walks_4k', 'walks_2m', 'walk_levels'];

function checkTlbCounts(o, where) {
  if (!isObject(o) || o.tlb === undefined) return;
  need(o, 'tlb', 'object', where);
  TLB_KEYS.forEach(function (k) { need(o.tlb, k, 'int', where + '.tlb'); });
}

function validateTlb(d) {
  checkTlbCounts(d.totals, 'totals');
  d.mappings.forEach(function (m, i) { checkTlbCounts(m, 'mappings[' + i + ']'); });
  d.phases.forEach(function (p, i) { checkTlbCounts(p, 'phases[' + i + ']'); });
  d.labels.forEach(function (l, i) {
    checkTlbCounts(l, 'labels[' + i + ']');
    if (isObject(l.phases)) {
      Object.keys(l.phases).forEach(function (k) {
        checkTlbCounts(l.phases[k], 'labels[' + i + '].phases.' + k);
      });
    }
  });
  var tl = d.timeline;
  if (isObject(tl) && tl.tlb !== undefined) {
    need(tl, 'tlb', 'object', 'timeline');
    TLB_KEYS.forEach(function (k) {
      checkSeries(need(tl.tlb, k, 'array', 'timeline.tlb'), tl.t.length, 'timeline.tlb.' + k);
    });
  }
  if (d.tlb === undefined || d.tlb === null) return;
  var t = need(d, 'tlb', 'object');
  needAll(t, 'tlb', { cpu: 'string', accesses: 'int', flushes: 'object', data: 'object',
    instruction: 'object' });
  needAll(t.flushes, 'tlb.flushes', { full: 'int', ranges: 'int' });
  ['data', 'instruction'].forEach(function (s) {
    TLB_SIDE.forEach(function (k) { need(t[s], k, 'int', 'tlb.' + s); });
  });
  may(t, 'instructions', 'array', 'tlb');
  (t.instructions || []).forEach(function (x, i) {
    var where = 'tlb.instructions[' + i + ']';
    need(x, 'where', 'string', where);
    TLB_KEYS.forEach(function (k) { need(x, k, 'int', where); });
  });
}

// The names of the file's fault classes; a file must list some.
function faultClassNames(d) {
  var fc = need(d, 'fault_classes', 'array');
  if (!fc.length) fail('fault_classes is empty: a vmtrace output file lists its fault classes');
  return fc.map(function (c, i) {
    return need(c, 'name', 'string', 'fault_classes[' + i + ']');
  });
}

function validateRun(d) {
  var run = need(d, 'run', 'object');
  needAll(run, 'run', { pid: 'int', ppid: 'int', command: 'array' });
  checkStrings(run.command, 'run.command');
  need(need(run, 'exit', 'object', 'run'), 'status', 'string', 'run.exit');
  need(run, 'instructions', 'int', 'run');
  may(run, 'trace_id', 'string', 'run');
  if (run.collection !== undefined) {
    // collection paused at some time (the summary reads all of it)
    var col = need(run, 'collection', 'object', 'run');
    needAll(col, 'run.collection', { started: 'bool', instructions: 'int', nr_periods: 'int',
      periods: 'array' });
  }
  may(run, 'start_time', 'time|null', 'run');
  may(run, 'end_time', 'time|null', 'run');
}

var MAPPING = {
  id: 'int', start: 'int', end: 'int', perms: 'string', name: 'string', kind: 'string',
  pages_touched: 'int', resident_pages: 'int', faults: 'object'
};

// Checks the parsed object; returns it (with nothing changed) or throws.
// Either format: the tool's or vmtrace-native's (see isNative).
function validate(d) {
  if (!isObject(d)) {
    fail('not a vmtrace output file (the JSON is ' + typeName(d) + ', not an object)');
  }
  if (!('format' in d)) fail('not a vmtrace output file (no "format" key)');
  if (d.format !== 'vmtrace-out' && d.format !== NATIVE_FORMAT && d.format !== SIM_FORMAT &&
      d.format !== TREE_FORMAT) {
    fail('not a vmtrace output file (format is ' + JSON.stringify(d.format).slice(0, 80) +
      ', not "vmtrace-out", "' + NATIVE_FORMAT + '", "' + SIM_FORMAT + '" or "' +
      TREE_FORMAT + '")');
  }
  if (!('version' in d)) fail('missing key version');
  if (d.version !== SUPPORTED_VERSION) {
    fail('unsupported ' + (d.format !== 'vmtrace-out' ? d.format + ' ' : '') + 'version ' +
      JSON.stringify(d.version).slice(0, 80) + ' (this vmtrace-report reads version ' +
      SUPPORTED_VERSION + ')');
  }
  if (d.format === NATIVE_FORMAT) return validateNative(d);
  if (d.format === SIM_FORMAT || d.format === TREE_FORMAT) checkWholeRun(d);
  if (d.format === SIM_FORMAT) return validateSimResult(d);
  if (d.format === TREE_FORMAT) return validateTreeResult(d);
  need(d, 'tool', 'object');
  validateRun(d);
  need(d, 'options', 'object');
  checkPageSize(d);
  var classes = faultClassNames(d);
  var totals = need(d, 'totals', 'object');
  checkFaults(need(totals, 'faults', 'object', 'totals'), 'totals.faults', classes);
  needAll(totals, 'totals', {
    pages_touched: 'int', resident_pages: 'int', peak_resident_pages: 'int', page_tables: 'object'
  });
  needAll(totals.page_tables, 'totals.page_tables',
      { pgd: 'int', pud: 'int', pmd: 'int', pte: 'int' });
  // huge-page figures at exit (absent from files written before them)
  ['anon_huge_pages', 'file_pmd_pages', 'shmem_pmd_pages'].forEach(function (k) {
    may(totals, k, 'int', 'totals');
  });
  may(totals.page_tables, 'peak', 'object', 'totals.page_tables');
  if (isObject(totals.page_tables.peak)) {
    needAll(totals.page_tables.peak, 'totals.page_tables.peak',
      { pgd: 'int', pud: 'int', pmd: 'int', pte: 'int' });
  }
  need(d, 'mappings', 'array').forEach(function (m, i) {
    var where = 'mappings[' + i + ']';
    checkFaults(needAll(m, where, MAPPING).faults, where + '.faults', classes);
  });
  need(d, 'vmas', 'array').forEach(function (v, i) {
    needAll(v, 'vmas[' + i + ']', { start: 'int', end: 'int' });
  });
  need(d, 'phases', 'array').forEach(function (p, i) {
    var where = 'phases[' + i + ']';
    needAll(p, where, { name: 'string', pages_touched: 'int', faults: 'object' });
    checkFaults(p.faults, where + '.faults', classes);
  });
  need(d, 'labels', 'array').forEach(function (l, i) {
    var where = 'labels[' + i + ']';
    needAll(l, where, { name: 'string', ranges: 'array', pages_touched: 'int', faults: 'object' });
    checkFaults(l.faults, where + '.faults', classes);
    may(l, 'phases', 'object', where);
  });
  need(d, 'invalid_accesses', 'array').forEach(function (a, i) {
    need(a, 'address', 'int', 'invalid_accesses[' + i + ']');
  });
  // The planned sections: optional, but checked when present so that the
  // viewer never meets a half-formed one.
  if (d.timeline !== undefined && d.timeline !== null) validateTimeline(d.timeline);
  if (d.heat !== undefined && d.heat !== null) validateHeat(d.heat);
  if (d.fault_sites !== undefined && d.fault_sites !== null) validateFaultSites(d.fault_sites);
  if (d.simulations !== undefined && d.simulations !== null) {
    validateSimulations(d.simulations, classes);
  }
  if (d.thp_compare !== undefined && d.thp_compare !== null) {
    validateThpCompare(d.thp_compare, classes, d.timeline);
  }
  validateTlb(d);
  return d;
}

// --thp-compare: the second address space's setting, totals and samples
// (one per timeline.t).
function validateThpCompare(c, classes, tl) {
  need({ thp_compare: c }, 'thp_compare', 'object');
  ['primary', 'compared'].forEach(function (k) {
    needAll(need(c, k, 'object', 'thp_compare'), 'thp_compare.' + k,
      { thp: 'string', thp_sizes: 'object' });
  });
  var t = need(c, 'totals', 'object', 'thp_compare');
  checkFaults(need(t, 'faults', 'object', 'thp_compare.totals'), 'thp_compare.totals.faults',
    classes);
  needAll(t, 'thp_compare.totals', { pages_touched: 'int', resident_pages: 'int',
    peak_resident_pages: 'int', anon_huge_pages: 'int', page_tables: 'object' });
  needAll(t.page_tables, 'thp_compare.totals.page_tables',
    { pgd: 'int', pud: 'int', pmd: 'int', pte: 'int', peak: 'object' });
  needAll(t.page_tables.peak, 'thp_compare.totals.page_tables.peak',
    { pgd: 'int', pud: 'int', pmd: 'int', pte: 'int' });
  if (c.timeline !== undefined) {
    need(c, 'timeline', 'object', 'thp_compare');
    var n = tl && Array.isArray(tl.t) ? tl.t.length : 0;
    ['resident_pages', 'page_tables', 'faults', 'primary_page_tables'].forEach(function (k) {
      checkSeries(need(c.timeline, k, 'array', 'thp_compare.timeline'), n,
        'thp_compare.timeline.' + k);
    });
  }
}

// ---- vmtrace-native files (docs/output-format.md, second part) ---------------

var MINOR_MAJOR = { minor: 'int', major: 'int', total: 'int' };

var PROCESS = {
  pid: 'int', ppid: 'int|null', comm: 'string', execs: 'int', start_time: 'time',
  end_time: 'time|null', faults: 'object', peak_resident_pages: 'int', mappings: 'array'
};

var NATIVE_MAPPING = {
  name: 'string', kind: 'string', start: 'int', end: 'int', faults: 'object', pages_faulted: 'int'
};

// Every key the spec lists is required (the tool's and options' contents
// are only shown, so only their being objects is checked); the timeline's
// columns must all have t_ms's length.
function validateNative(d) {
  need(d, 'tool', 'object');
  need(d, 'options', 'object');
  checkPageSize(d);
  checkStrings(need(d, 'command', 'array'), 'command');
  needAll(d, '', { start_time: 'time', end_time: 'time', exit: 'object' });
  need(d.exit, 'status', 'string', 'exit');
  var totals = need(d, 'totals', 'object');
  needAll(need(totals, 'faults', 'object', 'totals'), 'totals.faults', MINOR_MAJOR);
  needAll(totals, 'totals',
    { recorded: 'int', lost: 'int', peak_resident_pages: 'int', rusage: 'object' });
  needAll(totals.rusage, 'totals.rusage', { minflt: 'int', majflt: 'int', maxrss_kib: 'int' });
  need(d, 'processes', 'array').forEach(function (p, i) {
    var where = 'processes[' + i + ']';
    needAll(p, where, PROCESS);
    needAll(p.faults, where + '.faults', MINOR_MAJOR);
    p.mappings.forEach(function (m, j) {
      var mw = where + '.mappings[' + j + ']';
      needAll(needAll(m, mw, NATIVE_MAPPING).faults, mw + '.faults', MINOR_MAJOR);
    });
  });
  var tl = need(d, 'timeline', 'object');
  need(tl, 'interval_ms', 'int', 'timeline');
  var t = need(tl, 't_ms', 'array', 'timeline');
  var n = t.length;
  checkSeries(t, n, 'timeline.t_ms', 'timeline.t_ms');
  checkOrder(t, 'timeline.t_ms');
  checkSeries(need(tl, 'wall_ms', 'array', 'timeline'), n, 'timeline.wall_ms',
      'timeline.t_ms', true);
  checkSeries(need(tl, 'rss', 'array', 'timeline'), n, 'timeline.rss', 'timeline.t_ms');
  var tf = need(tl, 'faults', 'object', 'timeline');
  ['minor', 'major'].forEach(function (k) {
    checkSeries(need(tf, k, 'array', 'timeline.faults'), n, 'timeline.faults.' + k,
        'timeline.t_ms');
  });
  validateFaultSites(need(d, 'fault_sites', 'array'));
  return d;
}

function isNative(d) {
  return !!d && d.format === NATIVE_FORMAT;
}

// ---- vmtrace-sim result files (docs/output-format.md, third part) -------------
// The report reads their curves only: the exact LRU and OPT miss-ratio
// curves drawn over the tool's simulations.

function isSimResult(d) {
  return !!d && d.format === SIM_FORMAT;
}

function isTreeResult(d) {
  return !!d && d.format === TREE_FORMAT;
}

// One shard of N > 1 holds only its slice of the job grid (some curves,
// some sizes): shown alone it read as the whole run's results, a curve or
// a simulation missing without a word (until 2026-12-06).  Its shards are
// joined by vmtrace-sim merge.
function checkWholeRun(d) {
  var sh = d.shard;
  if (isObject(sh) && typeof sh.n === 'number' && sh.n > 1) {
    fail('shard ' + sh.k + ' of ' + sh.n + ' of a vmtrace-sim run, which holds only its ' +
      'slice of the jobs: join the ' + sh.n + ' shards first (vmtrace-sim merge ' +
      '--json=FILE SHARD...)');
  }
}

// vmtrace-sim --tree's: the figures its view shows (treerun.js).
function validateTreeResult(d) {
  var sims = need(d, 'simulations', 'array');
  sims.forEach(function (s, i) {
    var where = 'simulations[' + i + ']';
    needAll(s, where, { policy: 'string', pages: 'int', references: 'int', evictions: 'int',
      swap_outs: 'int', peak_resident: 'int', processes: 'array', oom_kills: 'array' });
    s.processes.forEach(function (q, k) {
      needAll(q, where + '.processes[' + k + ']', { pid: 'int', oom_score_adj: 'number',
        references: 'int', minor: 'int', major: 'int', end: 'string' });
    });
    s.oom_kills.forEach(function (x, k) {
      needAll(x, where + '.oom_kills[' + k + ']', { pid: 'int', by_pid: 'int', seconds: 'number',
        tree_reference: 'int', badness: 'number', rss: 'int', swap: 'int', page_tables: 'int',
        oom_score_adj: 'number' });
    });
  });
  if (d.curves !== undefined) {
    need(d, 'curves', 'array').forEach(function (c, i) {
      var where = 'curves[' + i + ']';
      needAll(c, where, { policy: 'string', references: 'int', sizes: 'array', misses: 'array' });
      checkSeries(c.misses, c.sizes.length, where + '.misses', where + '.sizes');
    });
  }
  return d;
}

// A vmtrace-out file (neither vmtrace-native's nor vmtrace-sim's).
function isOut(d) {
  return !!d && d.format === 'vmtrace-out';
}

function validateSimResult(d) {
  var traces = need(d, 'traces', 'array');
  traces.forEach(function (t, i) {
    var where = 'traces[' + i + ']';
    if (isObject(t) && isObject(t.process)) {
      needAll(t.process, where + '.process', { pid: 'int', id: 'string' });
    } else if (isObject(t) && t.process !== undefined && t.process !== null) {
      fail(where + '.process should be object or null, not ' + typeName(t.process));
    }
  });
  var curves = need(d, 'curves', 'array');
  curves.forEach(function (c, i) {
    var where = 'curves[' + i + ']';
    needAll(c, where, { policy: 'string', exact: 'bool', references: 'int', cold: 'int',
      sizes: 'array', misses: 'array' });
    checkSeries(c.misses, c.sizes.length, where + '.misses', where + '.sizes');
    checkSeries(c.sizes, c.sizes.length, where + '.sizes');
    for (var k = 1; k < c.sizes.length; k++) {
      if (!(c.sizes[k] > c.sizes[k - 1])) fail(where + '.sizes should increase, at ' + k);
    }
  });
  return d;
}

// "line L, column C" of offset pos.
function lineColumn(text, pos) {
  var line = 1;
  var start = 0;
  for (var i = text.indexOf('\n'); i >= 0 && i < pos; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return 'line ' + line + ', column ' + (pos - start + 1);
}

// The offset where the text's brackets go deeper than max (strings skipped),
// or -1. A linear scan, so that JSON.parse and every later recursion (format,
// JSON.stringify) only meet shallow values.
function tooDeep(text, max) {
  var depth = 0;
  for (var i = 0; i < text.length; i++) {
    var c = text.charCodeAt(i);
    if (c === 34) {
      // a string: to its closing quote, over escapes
      for (i++; i < text.length && text.charCodeAt(i) !== 34; i++) {
        if (text.charCodeAt(i) === 92) i++;
      }
    } else if (c === 123 || c === 91) {
      if (++depth > max) return i;
    } else if (c === 125 || c === 93) depth--;
  }
  return -1;
}

// The length of text without its trailing white space,
// in linear time (text.replace(/\s+$/, '') is quadratic on a long run of
// blanks followed by something else).
function trimmedLength(text) {
  var n = text.length;
  while (n > 0 && /\s/.test(text.charAt(n - 1))) n--;
  return n;
}

// Where a JSON syntax error is, as "line L, column C" when the message has
// a position.
function describeJsonError(text, err) {
  var msg = String(err && err.message || err);
  var m = /position (\d+)/.exec(msg);
  var pos = m ? Number(m[1]) : -1;
  if (/Unexpected end of JSON input/.test(msg) || pos >= trimmedLength(text)) {
    return 'truncated: the JSON ends after ' + text.length +
        (text.length === 1 ? ' byte' : ' bytes');
  }
  if (pos >= 0) return 'not valid JSON at ' + lineColumn(text, pos);
  return 'not valid JSON (' + msg.split('\n')[0].slice(0, 200) + ')';
}

function parse(text) {
  if (typeof text !== 'string') text = String(text);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  var start = 0;
  while (start < text.length && /\s/.test(text.charAt(start))) start++;
  if (start === text.length) fail('empty file, not a vmtrace output file');
  var first = text.charAt(start);
  if (first !== '{' && first !== '[') {
    // vmtrace's other files, said for what they are (until 2026-12-06
    // only 'not JSON'): the page trace, the profiler files
    if (text.slice(start, start + 7) === 'VMTRACE') {
      fail('a vmtrace page trace (--trace-out-file), not an output file: vmtrace-sim ' +
          'replays it (vmtrace-sim --json=FILE writes what vmtrace-report reads)');
    }
    if (/^(desc: |# callgrind format)/.test(text.slice(start, start + 18))) {
      fail('a Cachegrind- or Callgrind-format file (--cg-out-file, --callgrind-out-file), ' +
          'not a vmtrace output file: cg_annotate or callgrind_annotate reads it');
    }
    fail('not a vmtrace output file (not JSON)');
  }
  var deep = tooDeep(text, MAX_DEPTH);
  if (deep >= 0) {
    fail('nested more than ' + MAX_DEPTH + ' levels deep at ' + lineColumn(text, deep) +
      ': not a vmtrace output file');
  }
  var d;
  try {
    d = JSON.parse(text);
  } catch (e) {
    fail(describeJsonError(text, e));
  }
  return validate(d);
}

module.exports = {
  parse: parse,
  validate: validate,
  validateThpCompare: validateThpCompare,
  isNative: isNative,
  isSimResult: isSimResult,
  isTreeResult: isTreeResult,
  TREE_FORMAT: TREE_FORMAT,
  isOut: isOut,
  NATIVE_FORMAT: NATIVE_FORMAT,
  SIM_FORMAT: SIM_FORMAT,
  VmtraceFormatError: VmtraceFormatError,
  SUPPORTED_VERSION: SUPPORTED_VERSION,
  MAX_DEPTH: MAX_DEPTH
};
