'use strict';
// The command's file system side: reading an input (a regular file, or
// standard input, within MAX_INPUT bytes; never a FIFO or a device that
// could block or never end) and writing the report whole or not at all (a
// temporary file beside it, renamed over it once every byte is on disk).
// Problems are thrown as FileError with a one-line message.

var fs = require('fs');
var os = require('os');
var path = require('path');

// Far above any output file the tools write, and below the longest string
// V8 makes (about 512 MiB), so a file either fits or is refused at once.
var MAX_INPUT = 256 * 1024 * 1024;

function FileError(message) {
  this.name = 'FileError';
  this.message = message;
}
FileError.prototype = Object.create(Error.prototype);

var PROBLEMS = {
  ENOENT: 'no such file', EACCES: 'permission denied', EPERM: 'permission denied',
  ENOSPC: 'no space left on device', EDQUOT: 'disk quota exceeded', EFBIG: 'file too large',
  EROFS: 'read-only file system', EIO: 'input/output error', ENOTDIR: 'not a directory',
  ENAMETOOLONG: 'name too long', ELOOP: 'too many symbolic links', EISDIR: 'is a directory'
};

// The one-line reason of a system error.
function problem(e) {
  if (e && PROBLEMS[e.code]) return PROBLEMS[e.code];
  return String(e && e.message ? e.message : e).split('\n')[0];
}

function kindOf(st) {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a file';
}

function tooLarge(size) {
  return new FileError('too large: ' + size + ' bytes (at most ' + MAX_INPUT + ')');
}

// Up to MAX_INPUT bytes from fd until its end; stops early when what it
// starts with cannot be JSON (/dev/zero on standard input ends at once).
function readStream(fd) {
  var chunks = [];
  var total = 0;
  var started = false;
  var buf = Buffer.alloc(1 << 16);
  for (;;) {
    var n;
    try {
      n = fs.readSync(fd, buf, 0, buf.length, null);
    } catch (e) {
      if (e.code !== 'EAGAIN') throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
      continue;
    }
    if (n === 0) break;
    chunks.push(Buffer.from(buf.subarray(0, n)));
    total += n;
    if (total > MAX_INPUT) throw tooLarge('more than ' + MAX_INPUT);
    if (!started) {
      // past blanks and a byte-order mark (EF BB BF, read here as latin1)
      var head = buf.toString('latin1', 0, n).replace(/^[\s\xef\xbb\xbf]+/, '');
      started = head !== '';
      if (started && head.charAt(0) !== '{' && head.charAt(0) !== '[') break;
    }
  }
  return Buffer.concat(chunks).toString('utf8');
}

// name ("-": standard input) -> {text, id}: id names the file ("dev:ino") for
// sameFile, null for a stream.
function readInput(name) {
  var fd;
  var own = name !== '-';
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer
    fd = own ? fs.openSync(name, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK) : 0;
  } catch (e) {
    if (e.code === 'ENOENT' || e.code === 'EACCES' || e.code === 'EPERM') {
      throw new FileError('cannot open: ' + problem(e));
    }
    throw new FileError('cannot read: ' + problem(e));
  }
  try {
    var st = fs.fstatSync(fd);
    if (st.isDirectory()) throw new FileError('is a directory, not a vmtrace output file');
    if (st.isFile()) {
      if (st.size > MAX_INPUT) throw tooLarge(st.size);
      return { text: fs.readFileSync(fd, 'utf8'), id: st.dev + ':' + st.ino };
    }
    if (own) throw new FileError('not a regular file (' + kindOf(st) +
        '), not a vmtrace output file');
    return { text: readStream(fd), id: null };
  } catch (e) {
    if (e instanceof FileError) throw e;
    throw new FileError('cannot read: ' + problem(e));
  } finally {
    if (own) fs.closeSync(fd);
  }
}

// The "dev:ino" of an existing path, or null.
function idOf(name) {
  try {
    var st = fs.statSync(name);
    return st.dev + ':' + st.ino;
  } catch (e) {
    return null;
  }
}

function writeAll(fd, buf) {
  for (var off = 0; off < buf.length;) off += fs.writeSync(fd, buf, off, buf.length - off);
}

// The temporary file a report is written to before it is renamed over
// target: .NAME.PID.RANDOM.tmp beside it (hidden; RANDOM: up to 8 of
// [0-9a-z]).
function tmpName(target) {
  return path.join(path.dirname(target), '.' + path.basename(target) + '.' + process.pid + '.' +
    Math.random().toString(36).slice(2, 10) + '.tmp');
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';     // there, someone else's
  }
}

// Removes the temporary files of target (tmpName's form, exactly) that a
// vmtrace-report killed while writing left (SIGKILL, which no handler
// sees; node has no linkat to name an O_TMPFILE file as vmtrace-sim does),
// those whose PID is no process: one still writing keeps its own. Returns
// the paths removed.
function sweep(target) {
  var dir = path.dirname(target);
  var prefix = '.' + path.basename(target) + '.';
  var names;
  try {
    names = fs.readdirSync(dir);
  } catch (e) {
    return [];
  }
  var removed = [];
  names.forEach(function (name) {
    if (name.slice(0, prefix.length) !== prefix) return;
    var m = /^([1-9][0-9]*)\.[0-9a-z]{1,8}\.tmp$/.exec(name.slice(prefix.length));
    if (!m || Number(m[1]) === process.pid || alive(Number(m[1]))) return;
    var p = path.join(dir, name);
    try {
      if (!fs.lstatSync(p).isFile()) return;
      fs.unlinkSync(p);
      removed.push({ path: p, pid: Number(m[1]) });
    } catch (e) {
      // gone already, or not ours to remove: left
    }
  });
  return removed;
}

// A signal that ends vmtrace-report (SIGINT, SIGTERM, SIGHUP) while it
// writes would leave the temporary file behind. Node runs a signal's
// listeners only once the synchronous write is over, so with listeners the
// signal waits for it: the report is renamed into place whole (or, the
// write failing, its temporary file removed), then the listener ends the
// process with the signal's status, 128 + its number.
var HELD = ['SIGINT', 'SIGTERM', 'SIGHUP'];
var holding = false;
function holdSignals() {
  if (holding) return;
  holding = true;
  // a turn of the event loop after the write, where a signal that came
  // during it is delivered (else the process would end without reading it,
  // with status 0)
  setTimeout(function () {}, 1);
  HELD.forEach(function (sig) {
    process.on(sig, function () {
      process.exit(128 + (os.constants.signals[sig] || 0));
    });
  });
}

// Writes data (a string) to out whole: into a temporary file in the same
// folder, flushed to disk, then renamed over out, so that a full disk or a
// failed write leaves out as it was and no temporary file behind. A path
// that is not a regular file (/dev/null, /dev/stdout, a FIFO) is written in
// place. A symbolic link is followed: its target is replaced. First, the
// temporary files of out that a killed vmtrace-report left go (sweep): the
// paths removed and their processes are returned, [{path, pid}].
function writeWhole(out, data) {
  var target = out;
  try {
    target = fs.realpathSync(out);
  } catch (e) {
    // not there yet: created, where a dangling symbolic link points if out
    // is one (a rename onto the link would replace it)
    for (var depth = 0; depth < 40; depth++) {
      var link;
      try {
        link = fs.readlinkSync(target);
      } catch (e2) {
        break;
      }
      target = path.resolve(path.dirname(target), link);
    }
  }
  var st = null;
  try {
    st = fs.statSync(target);
  } catch (e) {
    // likewise
  }
  if (st && st.isDirectory()) throw new FileError('cannot write: is a directory');
  var buf = Buffer.from(data, 'utf8');
  if (st && !st.isFile()) {
    try {
      fs.writeFileSync(target, buf);
    } catch (e) {
      throw new FileError('cannot write: ' + problem(e));
    }
    return [];
  }
  var removed = sweep(target);
  var tmp = tmpName(target);
  var fd;
  holdSignals();
  try {
    fd = fs.openSync(tmp, 'wx', 0o666);
  } catch (e) {
    throw new FileError('cannot write: ' +
        (e.code === 'ENOENT' ? 'no such directory' : problem(e)));
  }
  try {
    writeAll(fd, buf);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = null;
    fs.renameSync(tmp, target);
    return removed;
  } catch (e) {
    if (fd !== null) {
      try { fs.closeSync(fd); } catch (e2) { /* already failing */ }
    }
    try { fs.unlinkSync(tmp); } catch (e3) { /* gone */ }
    throw new FileError('cannot write: ' + problem(e));
  }
}

module.exports = {
  readInput: readInput, writeWhole: writeWhole, sweep: sweep, tmpName: tmpName, idOf: idOf,
  problem: problem,
  FileError: FileError, MAX_INPUT: MAX_INPUT
};
