'use strict';
// The page-fault classes: the one list, vmtrace/core/fault_classes.def, that
// the C code (an X-macro), the Python tests and this report read. Its entries
// are read here with a regular expression:
//   VT_FAULT_CLASS(ID, "name", KIND, "kernel function", "description")
// The text comes from fault_classes_def.js, which reads the file in the source
// tree; the bundler (assets.js) puts the text itself in its place.

var ENTRY = /^VT_FAULT_CLASS\(\s*(\w+),\s*"([^"]*)",\s*(\w+),\s*"([^"]*)",\s*"([^"]*)"\s*\)/gm;

// text -> [{name, kind, kernel, description}] in the file's order; kind is
// "minor", "major" or "invalid".
function parse(text) {
  var out = [];
  var m;
  ENTRY.lastIndex = 0;
  while ((m = ENTRY.exec(text)) !== null) {
    out.push({ name: m[2], kind: m[3].toLowerCase(), kernel: m[4], description: m[5] });
  }
  return out;
}

var LIST = parse(require('./fault_classes_def'));

// The class named `name`, or null.
function byName(name) {
  for (var i = 0; i < LIST.length; i++) if (LIST[i].name === name) return LIST[i];
  return null;
}

module.exports = { parse: parse, LIST: LIST, byName: byName };
