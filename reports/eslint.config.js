'use strict';
// The one ESLint configuration for vmtrace-report's JavaScript: reports/ and
// its tests (tests/report/). The recommended rules, and C's discipline for
// width: lines of at most 100 columns. tests/report/run runs it (lint.js).

var js = require('@eslint/js');

var NODE = {
  require: 'readonly', module: 'writable', exports: 'writable', process: 'readonly',
  Buffer: 'readonly', __dirname: 'readonly', __filename: 'readonly', console: 'readonly',
  setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly',
  clearInterval: 'readonly', SharedArrayBuffer: 'readonly', Atomics: 'readonly'
};
// The viewer's modules also run in the report page.
var BROWSER = {
  document: 'readonly', window: 'readonly', devicePixelRatio: 'readonly', Event: 'readonly',
  MouseEvent: 'readonly', Path2D: 'readonly'
};

module.exports = [
  js.configs.recommended,
  {
    files: ['reports/**/*.js', 'reports/vmtrace-report', 'tests/report/**/*.js', 'tests/report/run',
      'tests/report/fuzz'],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'commonjs',
      globals: Object.assign({}, NODE, BROWSER)
    },
    rules: {
      'max-len': ['error', { code: 100, tabWidth: 2 }],
      'no-unused-vars': ['error', { args: 'none', caughtErrors: 'none' }],
      eqeqeq: ['error', 'always'],
      'no-var': 'off',
      strict: ['error', 'global']
    }
  },
  { ignores: ['reports/node_modules/**', 'reports/build/**', 'tests/report/out/**'] }
];
