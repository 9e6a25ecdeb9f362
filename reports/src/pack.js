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

// modules: {name: source}; entry: JS source run with `req` in scope.
function pack(modules, entry) {
  var parts = [
    '(function () {',
    '"use strict";',
    'var defs = {}, cache = {};',
    'var hostRequire = typeof require === "function" ? require : null;',
    'function req(n) {',
    '  var k = String(n).replace(/^\\.\\//, "").replace(/\\.js$/, "");',
    '  if (!Object.prototype.hasOwnProperty.call(defs, k)) {',
    '    if (hostRequire) return hostRequire(n);',
    '    throw new Error("module not found: " + n);',
    '  }',
    '  if (cache[k]) return cache[k].exports;',
    '  var m = cache[k] = { exports: {} };',
    '  defs[k].call(m.exports, m, m.exports, req);',
    '  return m.exports;',
    '}'
  ];
  Object.keys(modules).forEach(function (name) {
    parts.push('defs[' + JSON.stringify(name) + '] = function (module, exports, require) {\n' + modules[name] + '\n};');
  });
  parts.push(entry);
  parts.push('})();');
  return parts.join('\n');
}

module.exports = { pack: pack, scriptSafe: scriptSafe };
