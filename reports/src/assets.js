'use strict';
// What a report embeds: the viewer's modules and CSS (from src/), the list of
// fault classes (vmtrace/core/fault_classes.def) and uPlot (from node_modules/
// after `npm ci`). The standalone vmtrace-report made by bundle.js carries the
// same object prebuilt.

var fs = require('fs');
var path = require('path');

// The modules the page runs; views/* (one module per view) are added to them.
var VIEWER_MODULES = ['format', 'faultclasses', 'fault_classes_def', 'validate', 'model', 'native',
  'compare', 'dom', 'table', 'plain', 'tree', 'treerun', 'charts', 'heatmap', 'flame', 'views',
  'viewer', 'tlbfig', 'bars', 'downsample'];
// flame-chart-js's self-contained build (it bundles its own dependencies),
// beside uPlot in node_modules.
var FLAME_FILE = path.join('flame-chart-js', 'dist', 'index.min.js');
var UPLOT_FILES = ['uPlot.iife.min.js', 'uPlot.min.css'];
// Relative to the reports folder.
var FAULT_CLASSES_DEF = path.join('..', 'vmtrace', 'core', 'fault_classes.def');

function AssetError(message) {
  this.name = 'AssetError';
  this.message = message;
}
AssetError.prototype = Object.create(Error.prototype);

// The folder holding uPlot's dist files: $VMTRACE_UPLOT_DIR, or
// node_modules/uplot/dist under the reports folder.
function uplotDir(reportsDir) {
  var cands = [];
  if (process.env.VMTRACE_UPLOT_DIR) cands.push(process.env.VMTRACE_UPLOT_DIR);
  cands.push(path.join(reportsDir, 'node_modules', 'uplot', 'dist'));
  for (var i = 0; i < cands.length; i++) {
    if (fs.existsSync(path.join(cands[i], UPLOT_FILES[0]))) return cands[i];
  }
  throw new AssetError('the charting library (uPlot) is missing: run `npm ci` in ' + reportsDir);
}

// Every module of src/ and src/views/ but this one: {name: source}, names as
// pack.js takes them ("model", "views/summary"). fault_classes_def, which
// reads the file at run time, becomes the file's text.
function sources(reportsDir) {
  var src = path.join(reportsDir, 'src');
  var out = {};
  ['', 'views'].forEach(function (dir) {
    fs.readdirSync(path.join(src, dir)).sort().forEach(function (f) {
      if (!/\.js$/.test(f) || (dir === '' && f === 'assets.js')) return;
      var name = (dir ? dir + '/' : '') + f.replace(/\.js$/, '');
      out[name] = fs.readFileSync(path.join(src, dir, f), 'utf8');
    });
  });
  var def = fs.readFileSync(path.join(reportsDir, FAULT_CLASSES_DEF), 'utf8');
  out.fault_classes_def = '// vmtrace/core/fault_classes.def\nmodule.exports = ' +
    JSON.stringify(def) + ';';
  return out;
}

// The page's modules out of sources(): VIEWER_MODULES and the views.
function viewerModules(all) {
  var modules = {};
  Object.keys(all).forEach(function (m) {
    if (VIEWER_MODULES.indexOf(m) >= 0 || /^views\//.test(m)) modules[m] = all[m];
  });
  return modules;
}

function fromDir(reportsDir) {
  var src = path.join(reportsDir, 'src');
  var pkg = JSON.parse(fs.readFileSync(path.join(reportsDir, 'package.json'), 'utf8'));
  var ud = uplotDir(reportsDir);
  var flame = path.resolve(ud, '..', '..', FLAME_FILE);
  if (!fs.existsSync(flame)) {
    throw new AssetError('the flame graph library (flame-chart-js) is missing: run `npm ci` in ' +
        reportsDir);
  }
  return {
    version: pkg.version,
    uplotVersion: pkg.dependencies && pkg.dependencies.uplot,
    uplotJs: fs.readFileSync(path.join(ud, UPLOT_FILES[0]), 'utf8'),
    uplotCss: fs.readFileSync(path.join(ud, UPLOT_FILES[1]), 'utf8'),
    flameVersion: pkg.dependencies && pkg.dependencies['flame-chart-js'],
    flameJs: fs.readFileSync(flame, 'utf8'),
    viewerCss: fs.readFileSync(path.join(src, 'viewer.css'), 'utf8'),
    viewerModules: viewerModules(sources(reportsDir))
  };
}

module.exports = {
  fromDir: fromDir, sources: sources, viewerModules: viewerModules, AssetError: AssetError,
  VIEWER_MODULES: VIEWER_MODULES
};
