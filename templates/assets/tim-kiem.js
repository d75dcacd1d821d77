/* tim-kiem.js — tìm kiếm ngoại tuyến trên chỉ mục window.BANTIN_SEARCH_INDEX
   (written by tim-kiem/search-index.js). Progressive enhancement: the page
   is complete without it. Plain ES2017, no dependencies, no network.
   Results are built with textContent/setAttribute only: the index holds
   user-written text and must never be parsed as markup. */
(function () {
  "use strict";

  var MAX_RESULTS = 50;
  var DEBOUNCE_MS = 150;

  var form = document.querySelector(".search-form");
  var input = document.getElementById("q");
  var status = document.querySelector(".search-status");
  var list = document.querySelector(".search-results");
  if (!status || !list) { return; }

  function say(text) { status.textContent = text; }

  // ---- Folding: must match vi::fold on the Rust side ---------------------
  // lowercase (per character), NFD, drop combining marks, lowercase again,
  // đ → d, whitespace runs → one space, trim.
  var MARKS;
  try {
    MARKS = new RegExp("\\p{M}", "gu"); // all combining marks, as Rust does
  } catch (e) {
    MARKS = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g;
  }
  // char::is_whitespace (Unicode White_Space), not JS \s (which adds U+FEFF).
  var SPACES = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/g;

  function lowerChars(s) {
    var out = "";
    for (var ch of s) { out += ch.toLowerCase(); } // per code point, like char::to_lowercase
    return out;
  }
  function fold(s) {
    var text = lowerChars(String(s == null ? "" : s));
    if (typeof text.normalize === "function") { text = text.normalize("NFD"); }
    text = lowerChars(text.replace(MARKS, ""));
    return text.replace(/đ/g, "d").replace(SPACES, " ").trim();
  }

  // ---- Words: the search page's template writes them --------------------
  // data-msg-NAME on the results list, with {q}, {n}, {shown} filled in;
  // data-kind-KIND names each kind of result.
  function words(name, vars) {
    var text = list.getAttribute("data-" + name) || "";
    return text.replace(/\{(q|n|shown)\}/g, function (_, key) { return String(vars[key]); });
  }

  // ---- Index -------------------------------------------------------------
  var raw = window.BANTIN_SEARCH_INDEX;
  if (!Array.isArray(raw)) {
    say(words("msg-unavailable", {}));
    return;
  }
  function str(v) { return typeof v === "string" ? v : (v == null ? "" : String(v)); }
  var entries = [];
  for (var i = 0; i < raw.length; i++) {
    var e = raw[i];
    if (!e || typeof e !== "object") { continue; }
    var title = str(e.t);
    entries.push({
      t: title, u: str(e.u), k: str(e.k), d: str(e.d), s: str(e.s),
      f: str(e.f), ft: null, order: entries.length
    });
  }

  var root = list.getAttribute("data-root") || "";

  // Only relative site paths become links (never "javascript:", "//host", …).
  function safeHref(u) {
    if (!u || /^[a-z][a-z0-9+.\-]*:/i.test(u) || /^[\/\\]/.test(u)) { return null; }
    return root + u;
  }

  // ---- Search ------------------------------------------------------------
  function search(query) {
    var folded = fold(query);
    var words = folded ? folded.split(" ") : [];
    var unique = [];
    words.forEach(function (w) { if (w && unique.indexOf(w) < 0) { unique.push(w); } });
    if (!unique.length) { return { words: unique, hits: [] }; }
    var hits = [];
    for (var n = 0; n < entries.length; n++) {
      var entry = entries[n];
      if (!unique.every(function (w) { return entry.f.indexOf(w) >= 0; })) { continue; }
      if (entry.ft === null) { entry.ft = fold(entry.t); }
      var ft = entry.ft;
      hits.push({
        entry: entry,
        inTitle: unique.every(function (w) { return ft.indexOf(w) >= 0; })
      });
    }
    hits.sort(function (a, b) {
      if (a.inTitle !== b.inTitle) { return a.inTitle ? -1 : 1; }
      return a.entry.order - b.entry.order; // index order: newest first
    });
    return { words: unique, hits: hits };
  }

  function el(name, className, text) {
    var node = document.createElement(name);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  function render(query) {
    var q = query.replace(SPACES, " ").trim();
    while (list.firstChild) { list.removeChild(list.firstChild); }
    if (!q) { say(""); return; }
    var result = search(q);
    var hits = result.hits;
    if (!hits.length) {
      say(words("msg-none", { q: q }));
      return;
    }
    var frag = document.createDocumentFragment();
    hits.slice(0, MAX_RESULTS).forEach(function (hit) {
      var entry = hit.entry;
      var li = el("li", "search-result");
      var href = safeHref(entry.u);
      var link = el(href ? "a" : "span", null, entry.t || entry.u);
      if (href) { link.setAttribute("href", href); }
      li.appendChild(link);
      if (entry.k) {
        li.appendChild(document.createTextNode(" "));
        li.appendChild(el("span", "search-kind", words("kind-" + entry.k, {}) || entry.k));
      }
      if (entry.d) {
        li.appendChild(document.createTextNode(" "));
        li.appendChild(el("span", "meta", entry.d));
      }
      if (entry.s) { li.appendChild(el("p", null, entry.s)); }
      frag.appendChild(li);
    });
    list.appendChild(frag);
    var vars = { q: q, n: hits.length, shown: MAX_RESULTS };
    say(words(hits.length > MAX_RESULTS ? "msg-found-more" : "msg-found", vars));
  }

  // ---- Query string ------------------------------------------------------
  function queryFromLocation() {
    var search = "";
    try { search = window.location.search || ""; } catch (e) { return ""; }
    try {
      if (typeof URLSearchParams === "function") {
        return new URLSearchParams(search).get("q") || "";
      }
    } catch (e) { /* fall through to the manual parser */ }
    var parts = search.replace(/^\?/, "").split("&");
    for (var p = 0; p < parts.length; p++) {
      var kv = parts[p].split("=");
      if (kv[0] === "q") {
        var value = kv.slice(1).join("=").replace(/\+/g, " ");
        try { return decodeURIComponent(value); } catch (e) { return value; }
      }
    }
    return "";
  }

  function rememberQuery(q) {
    try {
      if (window.history && typeof window.history.replaceState === "function") {
        var url = window.location.pathname + (q ? "?q=" + encodeURIComponent(q) : "") + window.location.hash;
        window.history.replaceState(null, "", url);
      }
    } catch (e) { /* file:// or sandboxed: keep the current URL */ }
  }

  // ---- Wiring ------------------------------------------------------------
  var initial = queryFromLocation();
  if (form) { form.removeAttribute("hidden"); }
  if (input) {
    input.value = initial;
    var timer = 0;
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { render(input.value); }, DEBOUNCE_MS);
    });
  }
  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var q = input ? input.value : "";
      window.clearTimeout(timer);
      render(q);
      rememberQuery(q.trim());
    });
  }
  if (initial) { render(initial); }
}());
