(function () {
  "use strict";
  var byId = function (id) { return document.getElementById(id); };
  var data = JSON.parse(byId("qc-data").textContent);
  var search = byId("qc-search"), codeSel = byId("qc-code"), docSel = byId("qc-doc");
  var attrSel = byId("qc-attr"), reset = byId("qc-reset"), status = byId("qc-status");
  var originSel = byId("qc-origin");  // only when review decisions were applied
  var items = Array.prototype.slice.call(document.querySelectorAll("[data-filter]"));
  var sections = Array.prototype.slice.call(document.querySelectorAll("details.code-quotes"));
  var docGroups = Array.prototype.slice.call(document.querySelectorAll("details.uncoded-doc"));
  var texts = [];
  var opened = [];
  var timer = null;

  function textOf(i) {
    if (texts[i] === undefined) {
      var parts = items[i].querySelectorAll(".qmeta, blockquote");
      texts[i] = Array.prototype.map.call(parts, function (p) { return p.textContent; })
        .join(" ").toLowerCase();
    }
    return texts[i];
  }

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : all;
    });
  }

  function openAncestors(el) {
    var node = el.parentElement;
    while (node) {
      if (node.tagName === "DETAILS" && !node.open) { node.open = true; opened.push(node); }
      node = node.parentElement;
    }
  }

  function hasOrigin(el, origin) {
    var own = el.getAttribute("data-origin") || "";
    return origin === "reviewed" ? (own === "accepted" || own === "manual") : own === origin;
  }

  function matches(el, i, query, code, doc, docs, origin) {
    if (origin && !hasOrigin(el, origin)) { return false; }
    if (code) {
      var own = el.getAttribute("data-code") || "";
      if (own !== code && own.indexOf(code + ".") !== 0) { return false; }
    }
    var index = el.getAttribute("data-doc");
    if (doc && index !== doc) { return false; }
    if (docs && docs.indexOf(Number(index)) < 0) { return false; }
    return !query || textOf(i).indexOf(query) >= 0;
  }

  function apply() {
    var query = search.value.trim().toLowerCase();
    var code = codeSel.value, doc = docSel.value;
    var docs = attrSel.value === "" ? null : data.attributes[Number(attrSel.value)];
    var origin = originSel ? originSel.value : "";
    var active = Boolean(query || code || doc || docs || origin);
    opened.forEach(function (d) { d.open = false; });
    opened = [];
    var shown = 0, matched = 0, total = 0, capped = false;
    items.forEach(function (el, i) {
      var isQuote = el.getAttribute("data-filter") === "quote";
      var ok = !active || matches(el, i, query, code, doc, docs, origin);
      if (ok && isQuote) { matched += 1; }
      if (active && ok && shown >= data.cap) { ok = false; capped = true; }
      if (isQuote) { total += 1; }
      if (ok && isQuote) { shown += 1; }
      el.hidden = !ok;
      if (ok && active) { openAncestors(el); }
    });
    document.body.classList.toggle("filtering", active);
    sections.forEach(function (s) {
      s.hidden = active && !s.querySelector("[data-filter]:not([hidden])");
    });
    docGroups.forEach(function (g) {
      g.hidden = active && !g.querySelector("[data-filter]:not([hidden])");
    });
    var message = active ? format(data.labels.shown, { shown: matched, total: total }) : "";
    if (capped) { message += " " + format(data.labels.capped, { cap: data.cap }); }
    status.textContent = message;
  }

  function later() {
    if (timer !== null) { clearTimeout(timer); }
    timer = setTimeout(function () { timer = null; apply(); }, 150);
  }

  function reveal() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id ? byId(id) : null;
    if (target) {
      var node = target.tagName === "DETAILS" ? target : target.parentElement;
      while (node) {
        if (node.tagName === "DETAILS") { node.open = true; }
        node = node.parentElement;
      }
      target.scrollIntoView();
    }
  }

  var printed = [];
  window.addEventListener("beforeprint", function () {
    printed = Array.prototype.slice.call(document.querySelectorAll("details:not([open])"));
    printed.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    printed.forEach(function (d) { d.open = false; });
    printed = [];
  });
  search.addEventListener("input", later);
  [codeSel, docSel, attrSel, originSel].forEach(function (s) {
    if (s) { s.addEventListener("change", apply); }
  });
  reset.addEventListener("click", function () {
    search.value = ""; codeSel.value = ""; docSel.value = ""; attrSel.value = "";
    if (originSel) { originSel.value = ""; }
    apply();
  });
  window.addEventListener("hashchange", reveal);
  if (window.location.hash) { reveal(); }
  document.documentElement.setAttribute("data-ready", "1");
}());
