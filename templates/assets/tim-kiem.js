/* tim-kiem.js — the search page: looks a query up in the search index
   (tim-kiem/chi-muc/, format in docs/chi-muc-tim-kiem.md), loading only
   the files the query needs, as <script> elements: a page opened from a
   disk (file://) can load scripts but cannot fetch files. Progressive
   enhancement: without it the page says where else to look. Plain ES2017,
   no dependencies, no other host. Results are built with textContent and
   setAttribute only: the index holds text people wrote and is never parsed
   as markup. */
(function () {
  "use strict";

  var DEBOUNCE_MS = 150;
  /* Words of a query looked up; the rest are ignored. */
  var MAX_WORDS = 10;
  /* A word being typed is also looked up as the start of longer words
     (`hoà` → hoàn, hoài) when its files weigh no more than this. */
  var PREFIX_BYTES = 160 * 1024;
  /* Numbered links around the current page of results. */
  var PAGE_LINKS = 2;

  var form = document.querySelector(".search-form");
  var input = document.getElementById("q");
  var status = document.querySelector(".search-status");
  var list = document.querySelector(".search-results");
  var pager = document.querySelector(".search-pages");
  if (!status || !list) { return; }

  function say(text) { status.textContent = text; }

  /* ---- Words: the search page's template writes them -------------------
     data-msg-NAME on the results list with {q}, {n}, {page}, {pages}
     filled in; data-kind-KIND names each kind of result. */
  function words(name, vars) {
    var text = list.getAttribute("data-" + name) || "";
    return text.replace(/\{(q|n|page|pages)\}/g, function (_, key) { return String(vars[key]); });
  }
  /* 12345 → "12.345", as numbers are written on the site. */
  function number(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }

  /* ---- Cutting a query into words: as vi::for_each_word -----------------
     A word: letters, digits and combining marks. Lowercased, decomposed and
     lowercased again; its key drops every mark (đ → d); its base keeps the
     marks but the tone; its tones are the digits of the tone marks
     (1 sắc, 2 huyền, 3 hỏi, 4 ngã, 5 nặng). */
  var WORD, MARK, ALNUM;
  try {
    WORD = new RegExp("[\\p{Alphabetic}\\p{N}\\p{M}]+", "gu");
    MARK = new RegExp("^\\p{M}$", "u");
    ALNUM = new RegExp("^[\\p{Alphabetic}\\p{N}]$", "u");
  } catch (e) { /* engines before ES2018: the Latin and Vietnamese letters */
    WORD = /[0-9A-Za-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0300-\u036f\u1e00-\u1eff]+/g;
    MARK = /^[\u0300-\u036f]$/;
    ALNUM = /^[0-9A-Za-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]$/;
  }
  var TONES = { "\u0301": "1", "\u0300": "2", "\u0309": "3", "\u0303": "4", "\u0323": "5" };
  var SPACES = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/g;

  function lowerChars(s) {
    var out = "";
    for (var ch of s) { out += ch.toLowerCase(); } /* per code point, like char::to_lowercase */
    return out;
  }
  function nfd(s) { return typeof s.normalize === "function" ? s.normalize("NFD") : s; }
  function nfc(s) { return typeof s.normalize === "function" ? s.normalize("NFC") : s; }

  function queryWords(query, maxChars) {
    var out = [];
    (String(query).match(WORD) || []).forEach(function (piece) {
      var key = "", base = "", tones = [], chars = 0;
      function end() {
        if (key && chars <= maxChars) {
          var b = nfc(base);
          out.push({ key: key, base: b, tones: tones.sort().join(""), plain: b === key && !tones.length });
        }
        key = ""; base = ""; tones = []; chars = 0;
      }
      for (var c of lowerChars(nfd(lowerChars(piece)))) {
        if (TONES[c]) { tones.push(TONES[c]); }
        else if (MARK.test(c)) { base += c; }
        else if (ALNUM.test(c)) { key += c === "đ" ? "d" : c; base += c; chars += 1; }
        else { end(); }
      }
      end();
    });
    return out;
  }

  /* ---- Loading the index's files ----------------------------------------- */
  var manifest = window.BANTIN_CHI_MUC;
  var manifestUrl = list.getAttribute("data-index") || "";
  var folder = manifestUrl.slice(0, manifestUrl.lastIndexOf("/") + 1);
  var root = list.getAttribute("data-root") || "";
  var perPage = Math.max(1, parseInt(list.getAttribute("data-per-page"), 10) || 10);
  function validManifest(m) {
    return m && typeof m === "object" && typeof m.v === "string" && m.docs >= 0 &&
      m.docs_per_file >= 1 && Array.isArray(m.first_terms) && Array.isArray(m.sizes) &&
      m.first_terms.length === m.sizes.length &&
      typeof m.term_file === "string" && typeof m.doc_file === "string";
  }
  if (!validManifest(manifest)) {
    say(words("msg-unavailable", {}));
    return;
  }

  var files = {};   /* "tu:3" → { promise, data } */
  function Stale() {}
  window.BANTIN_CHI_MUC_NAP = function (version, kind, n, data) {
    var file = files[kind + ":" + n];
    if (!file) { return; }
    if (version !== manifest.v) { file.fail(new Stale()); return; }
    file.data = data;
  };
  function load(kind, n) {
    var name = kind + ":" + n;
    if (files[name]) { return files[name].promise; }
    var file = { data: null, fail: null };
    file.promise = new Promise(function (resolve, reject) {
      file.fail = reject;
      var script = document.createElement("script");
      script.src = folder + (kind === "tu" ? manifest.term_file : manifest.doc_file).replace("{n}", String(n));
      script.onload = function () {
        if (file.data !== null) { resolve(file.data); } else { reject(new Error(name)); }
      };
      script.onerror = function () { reject(new Error(name)); };
      document.head.appendChild(script);
    });
    /* A failed file may be tried again by the next query. */
    file.promise.catch(function () { delete files[name]; });
    files[name] = file;
    return file.promise;
  }

  /* The term file that holds `key`: the last whose first term is not after
     it (terms are sorted as JavaScript compares strings). */
  function termFile(key) {
    var first = manifest.first_terms, lo = 0, hi = first.length - 1, found = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (first[mid] <= key) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return found;
  }
  function startsWith(s, prefix) { return s.lastIndexOf(prefix, 0) === 0; }
  /* The term files that may hold a key starting with `prefix`. */
  function prefixFiles(prefix) {
    var first = manifest.first_terms;
    var i = Math.max(termFile(prefix), 0), out = [i];
    while (i + 1 < first.length && startsWith(first[i + 1], prefix)) { i += 1; out.push(i); }
    return out;
  }

  /* ---- Document lists (docs/chi-muc-tim-kiem.md, "Danh sách") ----------- */
  var DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  var VALUE = {};
  for (var d = 0; d < 64; d++) { VALUE[DIGITS.charAt(d)] = d; }
  function eachDoc(text, f) {
    if (typeof text !== "string" || !text) { return; }
    var i, v, doc;
    if (text.charAt(0) === "~") {
      for (i = 1; i < text.length; i++) {
        v = VALUE[text.charAt(i)] | 0;
        for (var bit = 0; bit < 6; bit++) { if (v & (1 << bit)) { f((i - 1) * 6 + bit); } }
      }
      return;
    }
    var next = 0, gap = 0, shift = 0;
    for (i = 0; i < text.length; i++) {
      v = VALUE[text.charAt(i)] | 0;
      gap += (v & 31) * Math.pow(2, shift);
      if (v & 32) { shift += 5; continue; }
      doc = next + gap;
      f(doc);
      next = doc + 1; gap = 0; shift = 0;
    }
  }

  /* The lists [all, title] of the variants of the term file entries that
     match a query word: all variants of a word typed without diacritics,
     else only those with its letters and tone; a word being typed matches
     longer words (a missing tone then matches any tone). */
  function listsFor(word, loaded, asPrefix) {
    var out = [];
    loaded.forEach(function (terms) {
      if (!terms || typeof terms !== "object") { return; }
      var keys = asPrefix ? Object.keys(terms) : [word.key];
      keys.forEach(function (key) {
        if (!Object.prototype.hasOwnProperty.call(terms, key) || !startsWith(key, word.key)) { return; }
        var entry = terms[key];
        if (!Array.isArray(entry)) { return; }
        for (var i = 0; i + 2 < entry.length; i += 3) {
          var variant = String(entry[i]), bar = variant.indexOf("|");
          var base = variant.slice(0, bar) || key, tones = variant.slice(bar + 1);
          var match = word.plain ||
            (asPrefix
              ? startsWith(base, word.base) && (!word.tones || tones === word.tones)
              : base === word.base && tones === word.tones);
          if (match) { out.push([entry[i + 1], entry[i + 2]]); }
        }
      });
    });
    return out;
  }

  /* Documents holding every word, ranked: those with every word in their
     title first, then the others; each group in document order (data pages,
     then articles newest first). */
  function rank(perWord) {
    var n = perWord.length, all = new Uint8Array(manifest.docs), title = new Uint8Array(manifest.docs);
    perWord.forEach(function (lists, w) {
      lists.forEach(function (pair) {
        eachDoc(pair[0], function (doc) { if (all[doc] === w) { all[doc] = w + 1; } });
        eachDoc(pair[1], function (doc) { if (title[doc] === w) { title[doc] = w + 1; } });
      });
    });
    var first = [], then = [];
    for (var doc = 0; doc < all.length; doc++) {
      if (all[doc] === n) { (title[doc] === n ? first : then).push(doc); }
    }
    return first.concat(then);
  }

  /* ---- One search ---------------------------------------------------------- */
  var latest = 0;

  /* `typing`: the last word may be unfinished. */
  function search(query, typing, page) {
    var run = ++latest;
    var q = String(query).replace(SPACES, " ").trim();
    while (list.firstChild) { list.removeChild(list.firstChild); }
    showPages(q, 0, 0);
    if (!q) { say(""); return; }
    var seen = {}, ws = [];
    queryWords(q, manifest.max_term).forEach(function (w) {
      var id = w.key + " " + w.base + " " + w.tones;
      if (!seen[id] && ws.length < MAX_WORDS) { seen[id] = true; ws.push(w); }
    });
    if (!ws.length) { say(words("msg-none", { q: q })); return; }
    /* The word being typed: the last, unless the query ends with a space. */
    var last = ws[ws.length - 1], prefix = null;
    if (typing && !/\s$/.test(String(query)) && last.key.length >= 2) {
      var candidates = prefixFiles(last.key), bytes = 0;
      candidates.forEach(function (i) { bytes += manifest.sizes[i] | 0; });
      if (bytes <= PREFIX_BYTES) { prefix = candidates; }
    }
    var need = {};
    var filesOf = ws.map(function (w, i) {
      var f = i === ws.length - 1 && prefix ? prefix : [termFile(w.key)].filter(function (n) { return n >= 0; });
      f.forEach(function (n) { need[n] = true; });
      return f;
    });
    var loaded = {};
    Promise.all(Object.keys(need).map(function (n) {
      return load("tu", n).then(function (data) { loaded[n] = data; });
    })).then(function () {
      if (run !== latest) { return null; }
      var perWord = ws.map(function (w, i) {
        return listsFor(w, filesOf[i].map(function (n) { return loaded[n]; }), i === ws.length - 1 && prefix !== null);
      });
      var hits = perWord.some(function (l) { return !l.length; }) ? [] : rank(perWord);
      return show(q, hits, page, run);
    }).catch(function (e) {
      if (run !== latest) { return; }
      say(words(e instanceof Stale ? "msg-stale" : "msg-unavailable", {}));
    });
  }

  function show(q, hits, page, run) {
    if (!hits.length) { say(words("msg-none", { q: q })); return null; }
    var pages = Math.ceil(hits.length / perPage);
    page = Math.min(Math.max(1, page), pages);
    var shown = hits.slice((page - 1) * perPage, page * perPage);
    var need = {};
    shown.forEach(function (doc) { need[Math.floor(doc / manifest.docs_per_file)] = true; });
    var docs = {};
    return Promise.all(Object.keys(need).map(function (n) {
      return load("bai", n).then(function (rows) { docs[n] = rows; });
    })).then(function () {
      if (run !== latest) { return; }
      var frag = document.createDocumentFragment();
      shown.forEach(function (doc) {
        var rows = docs[Math.floor(doc / manifest.docs_per_file)];
        var row = Array.isArray(rows) ? rows[doc % manifest.docs_per_file] : null;
        if (Array.isArray(row)) { frag.appendChild(result(row)); }
      });
      list.appendChild(frag);
      var vars = { q: q, n: number(hits.length), page: number(page), pages: number(pages) };
      say(words(pages > 1 ? "msg-found-pages" : "msg-found", vars));
      showPages(q, page, pages);
    });
  }

  function el(name, className, text) {
    var node = document.createElement(name);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }
  function str(v) { return typeof v === "string" ? v : ""; }

  /* Only relative site paths become links (never "javascript:", "//host", …). */
  function safeHref(u) {
    if (!u || /^[a-z][a-z0-9+.\-]*:/i.test(u) || /^[\/\\]/.test(u)) { return null; }
    return root + u;
  }

  /* A row: [title, address, kind, date, summary]. */
  function result(row) {
    var title = str(row[0]), href = safeHref(str(row[1])), kind = str(row[2]);
    var li = el("li", "search-result");
    var link = el(href ? "a" : "span", null, title || str(row[1]));
    if (href) { link.setAttribute("href", href); }
    li.appendChild(link);
    if (kind) {
      li.appendChild(document.createTextNode(" "));
      li.appendChild(el("span", "search-kind", words("kind-" + kind, {}) || kind));
    }
    if (str(row[3])) {
      li.appendChild(document.createTextNode(" "));
      li.appendChild(el("span", "meta", str(row[3])));
    }
    if (str(row[4])) { li.appendChild(el("p", null, str(row[4]))); }
    return li;
  }

  /* ---- Pages of results: plain links (?q=…&trang=N) ------------------------ */
  function pageHref(q, n) {
    return "?q=" + encodeURIComponent(q) + (n > 1 ? "&trang=" + n : "");
  }
  function showPages(q, page, pages) {
    if (!pager) { return; }
    while (pager.firstChild) { pager.removeChild(pager.firstChild); }
    if (pages < 2) { pager.setAttribute("hidden", ""); return; }
    if (page > 1) {
      var prev = el("a", null, pager.getAttribute("data-previous") || "‹");
      prev.setAttribute("href", pageHref(q, page - 1));
      prev.setAttribute("rel", "prev");
      pager.appendChild(prev);
    }
    var ol = el("ol");
    var numbers = [1];
    for (var n = Math.max(2, page - PAGE_LINKS); n <= Math.min(pages - 1, page + PAGE_LINKS); n++) { numbers.push(n); }
    numbers.push(pages);
    numbers.forEach(function (n, i) {
      if (i > 0 && n === numbers[i - 1]) { return; }
      if (i > 0 && n > numbers[i - 1] + 1) { ol.appendChild(el("li", "gap", "…")); }
      var li = el("li"), a = el("a", null, number(n));
      a.setAttribute("href", pageHref(q, n));
      if (n === page) { a.setAttribute("aria-current", "page"); }
      li.appendChild(a);
      ol.appendChild(li);
    });
    pager.appendChild(ol);
    if (page < pages) {
      var next = el("a", null, pager.getAttribute("data-next") || "›");
      next.setAttribute("href", pageHref(q, page + 1));
      next.setAttribute("rel", "next");
      pager.appendChild(next);
    }
    pager.removeAttribute("hidden");
  }

  /* ---- Query string ---------------------------------------------------------- */
  function param(name) {
    var search = "";
    try { search = window.location.search || ""; } catch (e) { return ""; }
    var parts = search.replace(/^\?/, "").split("&");
    for (var p = 0; p < parts.length; p++) {
      var kv = parts[p].split("=");
      if (kv[0] === name) {
        var value = kv.slice(1).join("=").replace(/\+/g, " ");
        try { return decodeURIComponent(value); } catch (e) { return value; }
      }
    }
    return "";
  }

  function rememberQuery(q) {
    try {
      if (window.history && typeof window.history.replaceState === "function") {
        window.history.replaceState(null, "", window.location.pathname + (q ? pageHref(q, 1) : "") + window.location.hash);
      }
    } catch (e) { /* file:// or sandboxed: keep the current URL */ }
  }

  /* ---- Wiring ------------------------------------------------------------------ */
  var initial = param("q");
  var timer = 0;
  if (input) {
    input.value = initial;
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var atEnd = input.selectionStart === null || input.selectionStart === input.value.length;
        search(input.value, atEnd, 1);
      }, DEBOUNCE_MS);
    });
  }
  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var q = input ? input.value : "";
      window.clearTimeout(timer);
      search(q, false, 1);
      rememberQuery(q.replace(SPACES, " ").trim());
    });
  }
  if (initial) { search(initial, false, parseInt(param("trang"), 10) || 1); }
}());
