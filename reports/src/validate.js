'use strict';
// Parsing and validation of vmtrace output files (docs/output-format.md):
// the tool's ("format": "vmtrace-out") and vmtrace-native's
// ("format": "vmtrace-native"). parse(text) returns the data or throws a
// VmtraceFormatError whose message is one line naming the problem. Pure: no
// file system access here.

var FC = require('./faultclasses');

var SUPPORTED_VERSION = 1;
var NATIVE_FORMAT = 'vmtrace-native';

var FAULT_KEYS = ['total', 'minor', 'major', 'invalid'];

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

function isInt(v) {
  return typeof v === 'number' && isFinite(v) && Math.floor(v) === v;
}

function need(obj, key, type, where) {
  var path = where ? where + '.' + key : key;
  if (!obj || typeof obj !== 'object' || !(key in obj)) fail('missing key ' + path);
  var v = obj[key];
  var ok;
  switch (type) {
    case 'int': ok = isInt(v); break;
    case 'number': ok = typeof v === 'number' && isFinite(v); break;
    case 'string': ok = typeof v === 'string'; break;
    case 'bool': ok = typeof v === 'boolean'; break;
    case 'array': ok = Array.isArray(v); break;
    case 'object': ok = v !== null && typeof v === 'object' && !Array.isArray(v); break;
    case 'int|null': ok = v === null || isInt(v); break;
    case 'number|null': ok = v === null || (typeof v === 'number' && isFinite(v)); break;
    case 'object|null': ok = v === null || (typeof v === 'object' && !Array.isArray(v)); break;
    case 'any': ok = true; break;
    default: throw new Error('bad type ' + type);
  }
  if (!ok) fail(path + ' should be ' + type.replace('|', ' or ') + ', not ' + typeName(v));
  return v;
}

function checkFaults(f, where, classes) {
  for (var i = 0; i < FAULT_KEYS.length; i++) need(f, FAULT_KEYS[i], 'int', where);
  for (var j = 0; j < classes.length; j++) {
    if (classes[j] !== 'invalid') need(f, classes[j], 'int', where);
  }
}

function checkSeries(arr, len, where, against) {
  if (!Array.isArray(arr)) fail(where + ' should be array, not ' + typeName(arr));
  if (arr.length !== len) fail(where + ' has ' + arr.length + ' entries, ' + (against || 'timeline.t') + ' has ' + len);
  for (var i = 0; i < arr.length; i++) {
    if (arr[i] !== null && typeof arr[i] !== 'number') fail(where + '[' + i + '] should be a number');
  }
}

function validateTimeline(tl, classes) {
  need({ timeline: tl }, 'timeline', 'object');
  need(tl, 'interval', 'int', 'timeline');
  var t = need(tl, 't', 'array', 'timeline');
  checkSeries(t, t.length, 'timeline.t');
  var n = t.length;
  if (tl.rss !== undefined) {
    need(tl, 'rss', 'object', 'timeline');
    Object.keys(tl.rss).forEach(function (k) { checkSeries(tl.rss[k], n, 'timeline.rss.' + k); });
  }
  if (tl.touched !== undefined) checkSeries(tl.touched, n, 'timeline.touched');
  ['wall_ms', 'pss_x1000', 'uss'].forEach(function (k) {
    if (tl[k] !== undefined) checkSeries(tl[k], n, 'timeline.' + k);
  });
  if (tl.faults !== undefined) {
    need(tl, 'faults', 'object', 'timeline');
    Object.keys(tl.faults).forEach(function (k) { checkSeries(tl.faults[k], n, 'timeline.faults.' + k); });
  }
  if (tl.wss !== undefined) {
    need(tl, 'wss', 'array', 'timeline');
    tl.wss.forEach(function (w, i) {
      var where = 'timeline.wss[' + i + ']';
      need(w, 'tau', 'int', where);
      if (w.code !== undefined) checkSeries(w.code, n, where + '.code');
      if (w.data !== undefined) checkSeries(w.data, n, where + '.data');
      if (w.total !== undefined) checkSeries(w.total, n, where + '.total');
    });
  }
  void classes;
}

function validateHeatmap(hm) {
  need({ heatmap: hm }, 'heatmap', 'object');
  need(hm, 't_step', 'int', 'heatmap');
  var b = need(hm, 'buckets', 'int', 'heatmap');
  var rows = need(hm, 'rows', 'array', 'heatmap');
  var counts = need(hm, 'counts', 'array', 'heatmap');
  rows.forEach(function (r, i) {
    var where = 'heatmap.rows[' + i + ']';
    need(r, 'start', 'int', where);
    need(r, 'end', 'int', where);
  });
  if (counts.length !== rows.length * b) {
    fail('heatmap.counts has ' + counts.length + ' entries, expected rows × buckets = ' + rows.length * b);
  }
}

function validateFaultSites(fs) {
  need({ fault_sites: fs }, 'fault_sites', 'array');
  fs.forEach(function (s, i) {
    var where = 'fault_sites[' + i + ']';
    need(s, 'class', 'string', where);
    need(s, 'count', 'int', where);
    var st = need(s, 'stack', 'array', where);
    st.forEach(function (fr, j) {
      if (typeof fr !== 'string') fail(where + '.stack[' + j + '] should be string, not ' + typeName(fr));
    });
  });
}

function validateSimulations(sims, classes) {
  need({ simulations: sims }, 'simulations', 'array');
  sims.forEach(function (s, i) {
    var where = 'simulations[' + i + ']';
    need(s, 'policy', 'string', where);
    need(s, 'ram_pages', 'int', where);
    checkFaults(need(s, 'faults', 'object', where), where + '.faults', classes);
  });
}

// Checks the parsed object; returns it (with nothing changed) or throws.
// Either format: the tool's or vmtrace-native's (see isNative).
function validate(d) {
  if (d === null || typeof d !== 'object' || Array.isArray(d)) {
    fail('not a vmtrace output file (the JSON is ' + typeName(d) + ', not an object)');
  }
  if (!('format' in d)) fail('not a vmtrace output file (no "format" key)');
  if (d.format !== 'vmtrace-out' && d.format !== NATIVE_FORMAT) {
    fail('not a vmtrace output file (format is ' + JSON.stringify(d.format) + ', not "vmtrace-out" or "' + NATIVE_FORMAT + '")');
  }
  if (!('version' in d)) fail('missing key version');
  if (d.version !== SUPPORTED_VERSION) {
    fail('unsupported ' + (d.format === NATIVE_FORMAT ? NATIVE_FORMAT + ' ' : '') + 'version ' + JSON.stringify(d.version) +
      ' (this vmtrace-report reads version ' + SUPPORTED_VERSION + ')');
  }
  if (d.format === NATIVE_FORMAT) return validateNative(d);
  need(d, 'tool', 'object');
  var run = need(d, 'run', 'object');
  need(run, 'pid', 'int', 'run');
  need(run, 'ppid', 'int', 'run');
  var cmd = need(run, 'command', 'array', 'run');
  cmd.forEach(function (w, i) {
    if (typeof w !== 'string') fail('run.command[' + i + '] should be string, not ' + typeName(w));
  });
  var ex = need(run, 'exit', 'object', 'run');
  need(ex, 'status', 'string', 'run.exit');
  need(run, 'instructions', 'int', 'run');
  need(d, 'options', 'object');
  need(d, 'page_size', 'int');
  var fc = need(d, 'fault_classes', 'array');
  var classes = fc.map(function (c, i) {
    return need(c, 'name', 'string', 'fault_classes[' + i + ']');
  });
  if (classes.length === 0) classes = FC.LIST.map(function (c) { return c.name; });
  var totals = need(d, 'totals', 'object');
  checkFaults(need(totals, 'faults', 'object', 'totals'), 'totals.faults', classes);
  need(totals, 'pages_touched', 'int', 'totals');
  need(totals, 'resident_pages', 'int', 'totals');
  need(totals, 'peak_resident_pages', 'int', 'totals');
  var pt = need(totals, 'page_tables', 'object', 'totals');
  ['pgd', 'pud', 'pmd', 'pte'].forEach(function (k) { need(pt, k, 'int', 'totals.page_tables'); });
  var maps = need(d, 'mappings', 'array');
  maps.forEach(function (m, i) {
    var where = 'mappings[' + i + ']';
    need(m, 'id', 'int', where);
    need(m, 'start', 'int', where);
    need(m, 'end', 'int', where);
    need(m, 'perms', 'string', where);
    need(m, 'name', 'string', where);
    need(m, 'kind', 'string', where);
    need(m, 'pages_touched', 'int', where);
    need(m, 'resident_pages', 'int', where);
    checkFaults(need(m, 'faults', 'object', where), where + '.faults', classes);
  });
  var vmas = need(d, 'vmas', 'array');
  vmas.forEach(function (v, i) {
    need(v, 'start', 'int', 'vmas[' + i + ']');
    need(v, 'end', 'int', 'vmas[' + i + ']');
  });
  var phases = need(d, 'phases', 'array');
  phases.forEach(function (p, i) {
    var where = 'phases[' + i + ']';
    need(p, 'name', 'string', where);
    need(p, 'pages_touched', 'int', where);
    checkFaults(need(p, 'faults', 'object', where), where + '.faults', classes);
  });
  var labels = need(d, 'labels', 'array');
  labels.forEach(function (l, i) {
    var where = 'labels[' + i + ']';
    need(l, 'name', 'string', where);
    need(l, 'ranges', 'array', where);
    need(l, 'pages_touched', 'int', where);
    checkFaults(need(l, 'faults', 'object', where), where + '.faults', classes);
    if (l.phases !== undefined) need(l, 'phases', 'object', where);
  });
  var inv = need(d, 'invalid_accesses', 'array');
  inv.forEach(function (a, i) {
    need(a, 'address', 'int', 'invalid_accesses[' + i + ']');
  });
  // The planned sections: optional, but checked when present so that the
  // viewer never meets a half-formed one.
  if (d.timeline !== undefined && d.timeline !== null) validateTimeline(d.timeline, classes);
  if (d.heatmap !== undefined && d.heatmap !== null) validateHeatmap(d.heatmap);
  if (d.fault_sites !== undefined && d.fault_sites !== null) validateFaultSites(d.fault_sites);
  if (d.simulations !== undefined && d.simulations !== null) validateSimulations(d.simulations, classes);
  return d;
}

// ---- vmtrace-native files (docs/output-format.md, second part) ---------------

function checkMinorMajor(f, where) {
  ['minor', 'major', 'total'].forEach(function (k) { need(f, k, 'int', where); });
}

function checkStrings(arr, where) {
  arr.forEach(function (w, i) {
    if (typeof w !== 'string') fail(where + '[' + i + '] should be string, not ' + typeName(w));
  });
}

// Every key the spec lists is required (the tool's and options' contents
// are only shown, so only their being objects is checked); the timeline's
// columns must all have t_ms's length.
function validateNative(d) {
  need(d, 'tool', 'object');
  need(d, 'options', 'object');
  need(d, 'page_size', 'int');
  checkStrings(need(d, 'command', 'array'), 'command');
  need(d, 'start_time', 'number');
  need(d, 'end_time', 'number');
  var ex = need(d, 'exit', 'object');
  need(ex, 'status', 'string', 'exit');
  var totals = need(d, 'totals', 'object');
  checkMinorMajor(need(totals, 'faults', 'object', 'totals'), 'totals.faults');
  need(totals, 'recorded', 'int', 'totals');
  need(totals, 'lost', 'int', 'totals');
  need(totals, 'peak_resident_pages', 'int', 'totals');
  var ru = need(totals, 'rusage', 'object', 'totals');
  ['minflt', 'majflt', 'maxrss_kib'].forEach(function (k) { need(ru, k, 'int', 'totals.rusage'); });
  var procs = need(d, 'processes', 'array');
  procs.forEach(function (p, i) {
    var where = 'processes[' + i + ']';
    need(p, 'pid', 'int', where);
    need(p, 'ppid', 'int', where);
    need(p, 'comm', 'string', where);
    need(p, 'execs', 'int', where);
    need(p, 'start_time', 'number', where);
    need(p, 'end_time', 'number|null', where);
    checkMinorMajor(need(p, 'faults', 'object', where), where + '.faults');
    need(p, 'peak_resident_pages', 'int', where);
    need(p, 'mappings', 'array', where).forEach(function (m, j) {
      var mw = where + '.mappings[' + j + ']';
      need(m, 'name', 'string', mw);
      need(m, 'kind', 'string', mw);
      need(m, 'start', 'int', mw);
      need(m, 'end', 'int', mw);
      checkMinorMajor(need(m, 'faults', 'object', mw), mw + '.faults');
      need(m, 'pages_faulted', 'int', mw);
    });
  });
  var tl = need(d, 'timeline', 'object');
  need(tl, 'interval_ms', 'int', 'timeline');
  var t = need(tl, 't_ms', 'array', 'timeline');
  var n = t.length;
  checkSeries(t, n, 'timeline.t_ms', 'timeline.t_ms');
  checkSeries(need(tl, 'wall_ms', 'array', 'timeline'), n, 'timeline.wall_ms', 'timeline.t_ms');
  checkSeries(need(tl, 'rss', 'array', 'timeline'), n, 'timeline.rss', 'timeline.t_ms');
  var tf = need(tl, 'faults', 'object', 'timeline');
  checkSeries(need(tf, 'minor', 'array', 'timeline.faults'), n, 'timeline.faults.minor', 'timeline.t_ms');
  checkSeries(need(tf, 'major', 'array', 'timeline.faults'), n, 'timeline.faults.major', 'timeline.t_ms');
  validateFaultSites(need(d, 'fault_sites', 'array'));
  return d;
}

function isNative(d) {
  return !!d && d.format === NATIVE_FORMAT;
}

// Where a JSON syntax error is, as "line L, column C" when the message has
// a position.
function describeJsonError(text, err) {
  var msg = String(err && err.message || err);
  var m = /position (\d+)/.exec(msg);
  var pos = m ? Number(m[1]) : -1;
  if (/Unexpected end of JSON input/.test(msg) || pos >= text.replace(/\s+$/, '').length) {
    return 'truncated: the JSON ends after ' + text.length + ' bytes';
  }
  if (pos >= 0) {
    var before = text.slice(0, pos);
    var line = before.split('\n').length;
    var col = pos - before.lastIndexOf('\n');
    return 'not valid JSON at line ' + line + ', column ' + col;
  }
  return 'not valid JSON (' + msg.split('\n')[0] + ')';
}

function parse(text) {
  if (typeof text !== 'string') text = String(text);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (/^\s*$/.test(text)) fail('empty file, not a vmtrace output file');
  var first = text.replace(/^\s+/, '').charAt(0);
  if (first !== '{' && first !== '[') fail('not a vmtrace output file (not JSON)');
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
  isNative: isNative,
  NATIVE_FORMAT: NATIVE_FORMAT,
  VmtraceFormatError: VmtraceFormatError,
  SUPPORTED_VERSION: SUPPORTED_VERSION
};
