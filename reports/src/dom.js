'use strict';
// The viewer's only way to make elements. Strings always become text nodes
// (never markup), attributes are set with setAttribute and may not be event
// handlers, so nothing from a run can turn into HTML or script.

function h(doc, tag, attrs, children) {
  var el = doc.createElement(tag);
  if (attrs) {
    Object.keys(attrs).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (/^on/i.test(k) || /^(srcdoc|formaction)$/i.test(k)) throw new Error(
          'dom.h: refusing attribute ' + k);
      if ((k === 'href' || k === 'src') && !/^(#|data:image\/png;)/.test(String(v))) {
        throw new Error('dom.h: refusing ' + k + ' ' + String(v));
      }
      if (k === 'class') el.className = String(v);
      else el.setAttribute(k, v === true ? '' : String(v));
    });
  }
  append(doc, el, children);
  return el;
}

function append(doc, el, children) {
  if (children === null || children === undefined || children === false) return el;
  if (!Array.isArray(children)) children = [children];
  children.forEach(function (c) {
    if (c === null || c === undefined || c === false) return;
    if (Array.isArray(c)) append(doc, el, c);
    else if (typeof c === 'object' && c.nodeType) el.appendChild(c);
    else el.appendChild(doc.createTextNode(String(c)));
  });
  return el;
}

function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

module.exports = { h: h, append: append, clear: clear };
