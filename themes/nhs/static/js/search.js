// Guidepost search: ranks pages from window.GUIDEPOST_SEARCH as you type.
// No framework and nothing from other hosts; runs from file:// as well.
(function () {
  "use strict";
  var data = window.GUIDEPOST_SEARCH;
  var input = document.getElementById("gp-search-page-input");
  var list = document.getElementById("gp-search-results");
  var status = document.getElementById("gp-search-status");
  if (!data || !input || !list || !status) return;

  // Relative outputs store addresses from the site root; this page is one
  // folder down (search/).
  var prefix = data.rel ? "../" : "";

  function words(text) {
    return text.toLowerCase().split(/[^\p{L}\p{N}#@]+/u).filter(function (w) { return w.length > 0; });
  }

  function escapeHtml(s) {
    return s.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function escapeRegExp(s) {
    return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  // Wraps every query word found in `text` in <mark>, escaping the rest.
  function highlight(text, terms) {
    if (!text) return "";
    if (!terms.length) return escapeHtml(text);
    var re = new RegExp("(" + terms.map(escapeRegExp).join("|") + ")", "giu");
    return text.split(re).map(function (part, i) {
      return i % 2 === 1 ? "<mark>" + escapeHtml(part) + "</mark>" : escapeHtml(part);
    }).join("");
  }

  // A short extract of the body around the first match.
  function extract(body, terms) {
    if (!body) return "";
    var lower = body.toLowerCase();
    var at = -1;
    terms.forEach(function (t) {
      var i = lower.indexOf(t);
      if (i >= 0 && (at < 0 || i < at)) at = i;
    });
    var start = Math.max(0, at - 60);
    var text = body.slice(start, start + 200);
    return (start > 0 ? "… " : "") + text + (start + 200 < body.length ? " …" : "");
  }

  // Title matches count most, then headings and hashtags, then the
  // description, then the body. Every word of the query must match.
  function score(page, terms) {
    var title = page.t.toLowerCase();
    var heads = (page.h || []).join(" ").toLowerCase();
    var tags = (page.g || []).join(" ").toLowerCase();
    var desc = (page.d || "").toLowerCase();
    var body = (page.b || "").toLowerCase();
    var total = 0;
    for (var i = 0; i < terms.length; i++) {
      var t = terms[i];
      var s = 0;
      if (title.indexOf(t) >= 0) s += 100;
      if (heads.indexOf(t) >= 0) s += 20;
      if (tags.indexOf(t) >= 0) s += 20;
      if (desc.indexOf(t) >= 0) s += 10;
      if (body.indexOf(t) >= 0) s += 1;
      if (s === 0) return 0;
      total += s;
    }
    return total;
  }

  function run() {
    var terms = words(input.value);
    list.innerHTML = "";
    if (!terms.length) {
      status.textContent = "";
      return;
    }
    var results = data.pages
      .map(function (p) { return { page: p, score: score(p, terms) }; })
      .filter(function (r) { return r.score > 0; })
      .sort(function (a, b) { return b.score - a.score || a.page.t.localeCompare(b.page.t); });
    status.textContent = results.length === 1 ? "1 page found" : results.length + " pages found";
    results.slice(0, 50).forEach(function (r) {
      var li = document.createElement("li");
      li.className = "gp-search-results__item";
      var text = r.page.d || extract(r.page.b, terms);
      li.innerHTML = '<a class="gp-search-results__link" href="' + escapeHtml(prefix + r.page.u) + '">' +
        highlight(r.page.t, terms) + "</a>" +
        (text ? '<p class="gp-search-results__text">' + highlight(text, terms) + "</p>" : "");
      list.appendChild(li);
    });
  }

  var params = new URLSearchParams(window.location.search);
  if (params.get("q")) input.value = params.get("q");
  input.addEventListener("input", run);
  run();
})();
