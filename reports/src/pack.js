'use strict';
// Joins CommonJS modules (this folder's, which require each other as
// './name') into one script with a tiny module table, for the report page
// and for the standalone vmtrace-report. Names not in the table fall back to
// the host's require (Node built-ins in the standalone script).

function scriptSafe(src) {
  // Inside an HTML <script>, "</script" and "<!--" would end or confuse the
  // element; escaped like this they stay the same string or regex in JS.
  return src.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

// modules: {name: source} where a name is a path under src/ without ".js"
// ("model", "views/summary"); entry: JS source run with `req` in scope. A
// module's require("./x") or require("../x") is resolved against its own
// folder; a bare name is a module of the table or else the host's.
function pack(modules, entry) {
  var parts = [
    '(function () {',
    '"use strict";',
    'var defs = {}, cache = {};',
    'var hostRequire = typeof require === "function" ? require : null;',
    'function resolve(n, from) {',
    '  var k = String(n).replace(/\\.js$/, "");',
    '  if (!/^\\.\\.?\\//.test(k)) return k;',
    '  var parts = from.split("/");',
    '  parts.pop();',
    '  k.split("/").forEach(function (p) {',
    '    if (p === "..") parts.pop();',
    '    else if (p !== ".") parts.push(p);',
    '  });',
    '  return parts.join("/");',
    '}',
    'function req(n, from) {',
    '  var k = resolve(n, from || "");',
    '  if (!Object.prototype.hasOwnProperty.call(defs, k)) {',
    '    if (hostRequire) return hostRequire(n);',
    '    throw new Error("module not found: " + n);',
    '  }',
    '  if (cache[k]) return cache[k].exports;',
    '  var m = cache[k] = { exports: {} };',
    '  defs[k].call(m.exports, m, m.exports, function (r) { return req(r, k); });',
    '  return m.exports;',
    '}'
  ];
  Object.keys(modules).forEach(function (name) {
    parts.push('defs[' + JSON.stringify(name) + '] = function (module, exports, require) {\n' +
      modules[name] + '\n};');
  });
  parts.push(entry);
  parts.push('})();');
  return parts.join('\n');
}

module.exports = { pack: pack, scriptSafe: scriptSafe };
