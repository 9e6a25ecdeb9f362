'use strict';
// vmtrace-report FILE... [-o report.html] [--text]

var path = require('path');
var V = require('./validate');
var html = require('./html');
var text = require('./text');
var F = require('./format');
var tree = require('./tree');
var files = require('./files');
var downsample = require('./downsample');

var USAGE = [
  'usage: vmtrace-report FILE... [-o OUTPUT] [--text]',
  '',
  'Reads vmtrace output files (vmtrace.out.<pid>: one run, the processes of',
  'a process tree, or several runs) and writes one self-contained HTML report.',
  'A vmtrace-native file (at most one) is shown as the measured run; given with',
  'the files of one simulated run, the report compares the two. The exact LRU',
  'and OPT curves of a vmtrace-sim --mrc --json file are drawn over the',
  'simulations\' faults against RAM.',
  '',
  '  -o, --output FILE  where the report goes (default vmtrace-report.html; - for stdout)',
  '      --text         print the report for a terminal instead of writing HTML',
  '  -h, --help         this help',
  '      --version      the version'
].join('\n');

// A usage error is one line, as vmtrace-sim's and vmtrace-native's are: the
// problem and where the usage is (not the usage itself, which is for --help).
var FOR_USAGE = ' (vmtrace-report --help for usage)';

function UsageError(message) {
  this.name = 'UsageError';
  this.message = message;
}
UsageError.prototype = Object.create(Error.prototype);

function parseArgs(argv) {
  var o = { files: [], output: null, text: false, help: false, version: false };
  var rest = false;
  for (var i = 0; i < argv.length; i++) {
    var a = argv[i];
    if (rest || a === '-' || a.charAt(0) !== '-') { o.files.push(a); continue; }
    if (a === '--') { rest = true; continue; }
    var m = /^(--output|-o)(?:=(.*))?$/.exec(a);
    if (m) {
      var v = m[2];
      if (v === undefined) {
        if (i + 1 >= argv.length) throw new UsageError(m[1] + ' needs a file name' + FOR_USAGE);
        v = argv[++i];
      }
      if (v === '') throw new UsageError(m[1] + ' needs a file name' + FOR_USAGE);
      o.output = v;
    } else if (a.slice(0, 2) === '-o' && a.length > 2) {
      o.output = a.slice(2);
    } else if (a === '--text') o.text = true;
    else if (a === '-h' || a === '--help') o.help = true;
    else if (a === '--version') o.version = true;
    else throw new UsageError('unknown option \'' + a + '\' (vmtrace-report --help lists them)');
  }
  return o;
}

// Reads and checks every file; returns {files, errors, ids} where errors are
// one-line messages "FILE: problem" and ids the inputs' "dev:ino".
// readInput(name) -> {text, id} (files.readInput) may be replaced, as the
// fuzz target does.
function load(names, readInput) {
  readInput = readInput || files.readInput;
  var loaded = [];
  var errors = [];
  var ids = [];
  var seen = {};
  names.forEach(function (n) {
    var key = n === '-' ? '-' : path.resolve(n);
    if (seen[key]) return;
    seen[key] = true;
    var input;
    try {
      input = readInput(n);
    } catch (e) {
      if (!(e instanceof files.FileError)) throw e;
      errors.push(n + ': ' + e.message);
      return;
    }
    if (input.id) ids.push(input.id);
    try {
      // a timeline longer than vmtrace keeps is merged as vmtrace merges it
      loaded.push({ name: n === '-' ? '(stdin)' : n,
        data: downsample.downsample(V.parse(input.text)) });
    } catch (e) {
      if (!(e instanceof V.VmtraceFormatError)) throw e;
      // a temporary file of the tool (NAME.tmp.PID: vt_out.c), of a run
      // killed while writing or still writing: say what it is
      var left = /^(.*)\.tmp\.\d+$/.exec(path.basename(n));
      errors.push(n + ': ' + e.message + (left && /^truncated/.test(e.message) ? ' (vmtrace\'s ' +
          'temporary file for ' + left[1] + ', of a run still writing it or killed while ' +
          'writing: not an output)' : ''));
    }
  });
  return { files: loaded, errors: errors, ids: ids };
}

// What the loaded files allow: at most one vmtrace-native file, and with
// one, the vmtrace-out files (if any) must make one run. Returns a one-line
// problem or null.
function checkMix(files) {
  var nats = files.filter(function (f) { return V.isNative(f.data); });
  var sims = files.filter(function (f) { return V.isOut(f.data); });
  var results = files.filter(function (f) { return V.isSimResult(f.data); });
  // (vmtrace-sim --tree results stand alone: their view is their own)
  if (results.length && !sims.length) {
    return results[0].name + ' is a vmtrace-sim result: its curves are drawn over the ' +
        'simulations of a vmtrace output file, and none was given';
  }
  if (nats.length > 1) {
    return nats.length + ' vmtrace-native files (' +
        nats.map(function (f) { return f.name; }).join(', ') +
      '): a report shows at most one measured run';
  }
  if (nats.length && sims.length) {
    var roots = tree.build(sims).roots;
    if (roots.length > 1) {
      return 'comparing with ' + nats[0].name + ' needs the vmtrace-out files of one run, not ' +
          roots.length +
        ' (roots: ' + roots.map(function (r) { return 'pid ' + r.pid; }).join(', ') + ')';
    }
  }
  return null;
}

// Returns the exit status. io: {stdout, stderr} with write(), and
// optionally readInput (load's); getAssets: a function returning the assets
// (only called for HTML).
function main(argv, getAssets, io) {
  io = io || { stdout: process.stdout, stderr: process.stderr };
  var err = function (msg) { io.stderr.write('vmtrace-report: ' + F.printable(msg) + '\n'); };
  var opts;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    err(e.message);
    return 1;
  }
  if (opts.help) { io.stdout.write(USAGE + '\n'); return 0; }
  if (opts.version) {
    var a0 = safeAssets(getAssets, true);
    io.stdout.write('vmtrace-report ' + (a0 ? a0.version : '?') + '\n');
    return 0;
  }
  if (!opts.files.length) {
    err('no input files' + FOR_USAGE);
    return 1;
  }
  if (opts.text && opts.output) {
    err('--text prints to the terminal; -o is for the HTML report');
    return 1;
  }
  var loaded = load(opts.files, io.readInput);
  if (loaded.errors.length) {
    loaded.errors.forEach(err);
    return 1;
  }
  var out = opts.output || 'vmtrace-report.html';
  var outId = opts.text || out === '-' ? null : files.idOf(out);
  if (outId && loaded.ids.indexOf(outId) >= 0) {
    err(out + ': is one of the input files; give -o another name');
    return 1;
  }
  var mix = checkMix(loaded.files);
  if (mix) {
    err(mix);
    return 1;
  }
  if (opts.text) {
    io.stdout.write(text.render(loaded.files));
    return 0;
  }
  var assets;
  try {
    assets = getAssets();
  } catch (e) {
    err(e && e.message ? e.message : String(e));
    return 1;
  }
  var page = html.build({
    generator: { name: 'vmtrace-report', version: assets.version, uplot: assets.uplotVersion },
    generated: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    files: loaded.files
  }, assets);
  if (out === '-') {
    io.stdout.write(page);
    return 0;
  }
  try {
    files.writeWhole(out, page).forEach(function (r) {
      io.stderr.write('vmtrace-report: removed ' + F.printable(r.path) + ': a partial report ' +
          'of process ' + r.pid + ', which is no longer running\n');
    });
  } catch (e) {
    if (!(e instanceof files.FileError)) throw e;
    err(out + ': ' + e.message);
    return 1;
  }
  io.stderr.write('vmtrace-report: wrote ' + F.printable(out) + ' (' +
    F.count(loaded.files.length, 'file') + ', ' + F.bytes(Buffer.byteLength(page)) + ')\n');
  return 0;
}

function safeAssets(getAssets, quiet) {
  try {
    return getAssets();
  } catch (e) {
    if (!quiet) throw e;
    return null;
  }
}

// Runs main, turning any unexpected error into one line (no stack trace
// unless VMTRACE_REPORT_DEBUG is set) and setting the exit status.
function run(argv, getAssets) {
  var status;
  // `vmtrace-report --text ... | head` closes the pipe early: not an error;
  // anything else (a full disk) is.
  process.stdout.on('error', function (e) {
    if (e && e.code === 'EPIPE') process.exit(process.exitCode || 0);
    process.stderr.write('vmtrace-report: cannot write to standard output: ' +
        files.problem(e) + '\n');
    process.exit(1);
  });
  // Past a file size limit (ulimit -f), a write fails with EFBIG instead of
  // the signal ending the process: the report is then not written, and says so.
  process.on('SIGXFSZ', function () {});
  try {
    status = main(argv, getAssets);
  } catch (e) {
    process.stderr.write('vmtrace-report: internal error: ' +
        (e && e.message ? e.message : String(e)) + '\n');
    if (process.env.VMTRACE_REPORT_DEBUG && e && e.stack) process.stderr.write(e.stack + '\n');
    status = 70;
  }
  process.exitCode = status;
}

module.exports = {
  main: main, run: run, parseArgs: parseArgs, load: load, checkMix: checkMix, USAGE: USAGE
};
