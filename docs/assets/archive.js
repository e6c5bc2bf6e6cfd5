/* 县域经济政策文库: the header search box and the link / cite controls of a document.
 *
 * Plain browser JavaScript, no build step. The search index (site/search/, written by
 * scripts/search_index.py) is fetched a few small files at a time when a reader starts to
 * search, so reading a page costs nothing extra.
 */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("__config").textContent);
  var base = new URL(config.base.replace(/\/?$/, "/"), location.href);

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text != null) node.textContent = text;
    return node;
  }

  /* ---------------------------------------------------------------------------------------
   * Query folding: traditional → simplified, and a loosely typed 文号 → one token.
   * Mirrors scripts/web.py (docnumber_token, t2s_table); tests check both sides agree.
   * ------------------------------------------------------------------------------------- */

  var t2sMap = null;
  function loadT2S() {
    if (t2sMap) return Promise.resolve(t2sMap);
    return new Promise(function (resolve) {
      var script = el("script", { src: new URL("assets/t2s.js", base).href });
      script.onload = script.onerror = function () {
        var pairs = Array.from(window.ARCHIVE_T2S || ""); // by code point: a few are beyond the BMP
        t2sMap = {};
        for (var i = 0; i + 1 < pairs.length; i += 2) t2sMap[pairs[i]] = pairs[i + 1];
        resolve(t2sMap);
      };
      document.head.appendChild(script);
    });
  }
  function toSimplified(text) {
    return Array.from(text).map(function (ch) { return (t2sMap && t2sMap[ch]) || ch; }).join("");
  }

  var HAN = "\u3400-\u4dbf\u4e00-\u9fff";
  // 衡政办发2024 5号, 鄂经信县域〔2019〕40号, 衡政办发[2024]5號, 衡政办发 2024-5
  var LOOSE_NUMBER = new RegExp("([" + HAN + "]{2,16})\\s*[〔\\[［(（【]?\\s*((?:19|20)\\d{2})\\s*[〕\\]］)）】\\-—]?\\s*(\\d{1,4})\\s*[号號]?");

  function numberToken(code, year, serial) {
    var hex = Array.from(toSimplified(code)).map(function (ch) {
      return ch.codePointAt(0).toString(16);
    }).join("");
    return hex + "y" + parseInt(year, 10) + "n" + parseInt(serial, 10);
  }

  // A decree's or a 公告's number (scripts/pages/web.py SERIES_QUERY): 江西省人民政府令第232号,
  // 省政府令（第232号）, 国务院令588号, 232号令, 省政府第232号令, 财政部公告2019年第39号
  var NUMERAL = "[0-9０-９]{1,5}|[〇零一二两三四五六七八九十百千]{1,10}";
  var SERIES_QUERY = new RegExp("([" + HAN + "]*?)\\s*(?:" +
    "令\\s*[（(]?\\s*(?:第\\s*(" + NUMERAL + ")\\s*[号號]?|(" + NUMERAL + ")\\s*[号號])\\s*[）)]?" +
    "|第?\\s*(" + NUMERAL + ")\\s*[号號]\\s*令" +
    "|公告\\s*((?:19|20)\\d{2})\\s*年?\\s*第?\\s*(" + NUMERAL + ")\\s*[号號]?)");
  var CN_DIGITS = { "〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9 };
  var CN_UNITS = { "十": 10, "百": 100, "千": 1000 };
  function numeralValue(text) { // as docnumber.numeral_value: 232, ２３２, 二百三十二, 二三二
    text = text.replace(/[０-９]/g, function (d) { return String.fromCharCode(d.charCodeAt(0) - 0xfee0); });
    if (/^[0-9]+$/.test(text)) return parseInt(text, 10);
    var chars = Array.from(text);
    if (!chars.some(function (ch) { return ch in CN_UNITS; })) {
      return parseInt(chars.map(function (ch) { return CN_DIGITS[ch]; }).join(""), 10);
    }
    var total = 0, current = 0;
    chars.forEach(function (ch) {
      if (ch in CN_UNITS) { total += (current || 1) * CN_UNITS[ch]; current = 0; }
      else current = CN_DIGITS[ch];
    });
    return total + current;
  }
  function organKey(organ) { // as docnumber.organ_key: 中华人民共和国国务院 → 国务院, 江西省政府 → 江西省人民政府
    organ = organ.replace(/^中华人民共和国/, "");
    return /政府$/.test(organ) && !/人民政府$/.test(organ) ? organ.replace(/政府$/, "人民政府") : organ;
  }
  function seriesToken(organ, series, year, serial) { // as web.series_token
    var hex = Array.from(organ ? organKey(organ) : "").map(function (ch) {
      return ch.codePointAt(0).toString(16);
    }).join("");
    return hex + (series === "令" ? "l" : "g" + (year || "") + "n") + serial + "h";
  }
  /* As web.loose_series_tokens: with the organ typed, then without it; with the rest of the query. */
  function seriesTries(query) {
    var m = query.match(SERIES_QUERY);
    if (!m) return [];
    var series = m[5] ? "公告" : "令";
    var serial = numeralValue(m[2] || m[3] || m[4] || m[6]);
    var rest = (query.slice(0, m.index) + " " + query.slice(m.index + m[0].length)).trim();
    var tokens = [seriesToken(m[1], series, m[5], serial)];
    if (m[1]) tokens.push(seriesToken("", series, m[5], serial));
    return tokens.map(function (token) { return (token + " " + rest).trim(); });
  }

  /* Returns the queries to try, best first: the 文号 token (or a decree's), then the words as typed. */
  function foldQuery(raw) {
    var query = toSimplified(raw.trim());
    var m = query.match(LOOSE_NUMBER);
    var tries = [];
    if (m) {
      var rest = (query.slice(0, m.index) + " " + query.slice(m.index + m[0].length)).trim();
      tries.push((numberToken(m[1], m[2], m[3]) + " " + rest).trim());
    } else {
      tries = seriesTries(query);
    }
    tries.push(query);
    return tries;
  }

  /* ---------------------------------------------------------------------------------------
   * The search index (scripts/search_index.py): character pairs of every document's text.
   * A word is folded as the indexer folds text; the documents holding every pair of the word
   * (or its one character) match it, whatever the segmentation: 县域经济 inside 县域经济强县.
   * ------------------------------------------------------------------------------------- */

  var NEWLINE = 10;
  /* One code unit → its folded code (0: dropped), as scripts/search_index.py's _fold_table. */
  function foldUnit(c) {
    if ((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || c === NEWLINE) return c;
    if (c >= 0x41 && c <= 0x5a) return c + 32;
    if (c >= 0xff10 && c <= 0xff19) return c - 0xff10 + 0x30;
    if (c >= 0xff21 && c <= 0xff3a) return c - 0xff21 + 0x61;
    if (c >= 0xff41 && c <= 0xff5a) return c - 0xff41 + 0x61;
    if ((c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff)) {
      var simple = t2sMap && t2sMap[String.fromCharCode(c)];
      return simple && simple.length === 1 ? simple.charCodeAt(0) : c;
    }
    return 0;
  }
  /* A text folded, and where each folded character stands in the text. */
  function foldText(text) {
    var out = [], at = [];
    for (var i = 0; i < text.length; i++) {
      var c = foldUnit(text.charCodeAt(i));
      if (c) { out.push(String.fromCharCode(c)); at.push(i); }
    }
    return { text: out.join(""), at: at };
  }
  function fold(text) { return foldText(text).text.replace(/\n/g, ""); }

  /* The keys a word is looked up by: its pairs of characters, or its one character. */
  function wordKeys(word) {
    if (word.length === 1) return [word];
    var keys = [];
    for (var i = 0; i + 1 < word.length; i++) {
      var pair = word.slice(i, i + 2);
      if (keys.indexOf(pair) < 0) keys.push(pair);
    }
    return keys;
  }
  function keyHash(key) { // FNV-1a over UTF-16 code units, as search_index.key_hash
    var h = 0x811c9dc5;
    for (var i = key.charAt(0) === "^" ? 1 : 0; i < key.length; i++) {
      h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
    }
    return h;
  }

  function fetchJSON(path) {
    return fetch(new URL(path, base).href).then(function (r) { return r.ok ? r.json() : {}; });
  }

  var searchIndex = null;
  function loadSearchIndex() {
    if (searchIndex) return searchIndex;
    searchIndex = fetchJSON("search/index.json").then(function (info) {
      var size = Math.max(info.main ? info.main.size : 0, info.recent ? info.recent.size : 0);
      var bytes = (size + 7) >> 3;
      var shards = {};
      var metas = {};
      var stale = new Uint8Array(bytes);
      info.stale.forEach(function (n) { stale[n >> 3] |= 1 << (n & 7); });

      function shard(part, key) {
        var where = info[part];
        if (!where) return Promise.resolve({});
        var number = keyHash(key) & (where.shards - 1);
        var path = "search/" + part + "/" + number + ".json?v=" + where.v;
        return shards[path] || (shards[path] = fetchJSON(path));
      }
      function decode(value) {
        var set = new Uint8Array(bytes);
        if (!value) return set;
        var data = atob(value.slice(1));
        if (value.charAt(0) === "b") {
          for (var i = 0; i < data.length && i < bytes; i++) set[i] = data.charCodeAt(i);
        } else {
          for (var j = 0, n = -1, gap = 0, shift = 0; j < data.length; j++) {
            var b = data.charCodeAt(j);
            gap |= (b & 0x7f) << shift;
            shift += 7;
            if (!(b & 0x80)) { n += gap; set[n >> 3] |= 1 << (n & 7); gap = 0; shift = 0; }
          }
        }
        return set;
      }
      /* The documents listed under a key: the main index's, but not its stale entries, and the recent index's. */
      function documents(key) {
        return Promise.all([shard("main", key), shard("recent", key)]).then(function (found) {
          var set = decode(found[0][key]);
          var recent = decode(found[1][key]);
          for (var i = 0; i < bytes; i++) set[i] = (set[i] & ~stale[i]) | recent[i];
          return set;
        });
      }
      function all(keys) { // the documents listed under every key
        return Promise.all(keys.map(documents)).then(function (sets) {
          var set = sets[0] || new Uint8Array(bytes);
          sets.slice(1).forEach(function (other) { for (var i = 0; i < bytes; i++) set[i] &= other[i]; });
          return set;
        });
      }
      function meta(n) { // what a result shows: [url, title, place, date, 文号, type]
        var chunk = Math.floor(n / info.chunk);
        return (metas[chunk] || (metas[chunk] = fetchJSON("search/meta/" + chunk + ".json")))
          .then(function (entries) { return entries[n]; });
      }
      return { info: info, bytes: bytes, all: all, meta: meta };
    });
    return searchIndex;
  }

  function members(set) {
    var out = [];
    for (var i = 0; i < set.length; i++) {
      if (!set[i]) continue;
      for (var bit = 0; bit < 8; bit++) if (set[i] >> bit & 1) out.push(i * 8 + bit);
    }
    return out;
  }

  /* The words of a query, folded; a loosely typed 文号 becomes its token (scripts/web.py). */
  function queryWords(query) {
    return query.split(/\s+/).map(fold).filter(Boolean);
  }

  /* Every page matching a word of the query, ranked: documents before other pages (places, browse
   * lists: found by their titles), more of the query's words first, then more of them in the
   * title, 文号, issuer or place, then newer (documents are numbered newest first). */
  var PAGES = "=类别:页面"; // search_index.PAGE_FILTER
  function rank(index, words, filters) {
    var filterKeys = Object.keys(filters).map(function (name) { return "=" + name + ":" + filters[name]; });
    var wanted = words.map(function (word) {
      var keys = wordKeys(word);
      return Promise.all([index.all(keys), index.all(keys.map(function (k) { return "^" + k; }))]);
    });
    var asked = [Promise.all(wanted), filterKeys.length ? index.all(filterKeys) : null, index.all([PAGES])];
    return Promise.all(asked).then(function (got) {
      var sets = got[0], allowed = got[1], pages = got[2];
      var scores = {};
      sets.forEach(function (pair) {
        members(pair[0]).forEach(function (n) {
          var s = scores[n] || (scores[n] = { n: n, words: 0, head: 0, page: pages[n >> 3] >> (n & 7) & 1 });
          s.words += 1;
          if (pair[1][n >> 3] >> (n & 7) & 1) s.head += 1;
        });
      });
      if (!words.length && allowed) members(allowed).forEach(function (n) { scores[n] = { n: n, words: 0, head: 0, page: 0 }; });
      return Object.keys(scores).map(function (k) { return scores[k]; }).filter(function (s) {
        return !allowed || allowed[s.n >> 3] >> (s.n & 7) & 1;
      }).sort(function (a, b) { return a.page - b.page || b.words - a.words || b.head - a.head || a.n - b.n; });
    });
  }

  /* An excerpt of a document's own text around the first place it holds a word of the query,
   * every word of the query in it marked whole. Returns a document fragment. */
  function excerpt(text, words, around) {
    var title = text.indexOf("\n");
    var folded = foldText(text);
    var body = 0; // the first folded character after the title line
    while (body < folded.at.length && folded.at[body] <= title) body++;
    var first = -1;
    words.forEach(function (word) {
      var at = folded.text.indexOf(word, body);
      if (at >= 0 && (first < 0 || at < first)) first = at;
    });
    var start = first < 0 ? (title + 1) : Math.max(title + 1, folded.at[first] - around);
    var end = Math.min(text.length, start + around * 3);
    var piece = text.slice(start, end);
    var marks = []; // [from, to) in the original text
    words.forEach(function (word) {
      for (var at = folded.text.indexOf(word); at >= 0; at = folded.text.indexOf(word, at + 1)) {
        var from = folded.at[at], to = folded.at[at + word.length - 1] + 1;
        if (to > start && from < end) marks.push([Math.max(from, start), Math.min(to, end)]);
      }
    });
    marks.sort(function (a, b) { return a[0] - b[0]; });
    var out = document.createDocumentFragment();
    if (start > title + 1) out.appendChild(document.createTextNode("…"));
    var at = start;
    marks.forEach(function (m) {
      if (m[0] < at) return; // inside a mark already
      out.appendChild(document.createTextNode(text.slice(at, m[0]).replace(/\n/g, " ")));
      out.appendChild(el("mark", {}, text.slice(m[0], m[1]).replace(/\n/g, " ")));
      at = m[1];
    });
    out.appendChild(document.createTextNode(text.slice(at, end).replace(/\n/g, " ") + (end < text.length ? "…" : "")));
    return out;
  }

  function holdsAWord(text, words) {
    var folded = foldText(text).text;
    return words.some(function (word) { return folded.indexOf(word) >= 0; });
  }

  /* Marks every word of the query in a short text (a title). */
  function marked(text, words) {
    var wrap = document.createDocumentFragment();
    var folded = foldText(text);
    var marks = [];
    words.forEach(function (word) {
      for (var at = folded.text.indexOf(word); at >= 0; at = folded.text.indexOf(word, at + 1)) {
        marks.push([folded.at[at], folded.at[at + word.length - 1] + 1]);
      }
    });
    marks.sort(function (a, b) { return a[0] - b[0]; });
    var at = 0;
    marks.forEach(function (m) {
      if (m[0] < at) return;
      wrap.appendChild(document.createTextNode(text.slice(at, m[0])));
      wrap.appendChild(el("mark", {}, text.slice(m[0], m[1])));
      at = m[1];
    });
    wrap.appendChild(document.createTextNode(text.slice(at)));
    return wrap;
  }

  /* ---------------------------------------------------------------------------------------
   * Search box
   * ------------------------------------------------------------------------------------- */

  var box = document.querySelector("[data-archive-search]");
  var toggle = document.getElementById("__search");
  var FILTER_NAMES = { "级别": "全部层级", "地区": "全部地区", "年份": "全部年份", "文种": "全部文种" };
  var FIRST = 10; // results shown first; the rest follow on their own

  function setupSearch() {
    if (!box || !toggle) return;
    var input = box.querySelector(".md-search__input");
    var form = box.querySelector("form");
    var meta = box.querySelector(".md-search-result__meta");
    var list = box.querySelector(".md-search-result__list");
    var filterBar = box.querySelector(".search-filters");
    var scroller = box.querySelector(".md-search__scrollwrap");
    var selects = {};
    var generation = 0;
    var timer = null;

    // Filters are fetched when the reader asks for them: their lists grow with the archive.
    var tools = el("div", { class: "search-tools" });
    var filterButton = el("button", { type: "button", class: "search-filter-toggle md-button", "aria-expanded": "false" }, "筛选");
    filterButton.addEventListener("click", function () {
      var show = filterBar.hidden;
      filterButton.setAttribute("aria-expanded", String(show));
      if (show) buildFilters();
      else filterBar.hidden = true;
    });
    tools.appendChild(filterButton);
    filterBar.parentNode.insertBefore(tools, filterBar);

    function open() {
      if (!toggle.checked) toggle.checked = true;
      loadSearchIndex();
    }

    var filtersBuilt = false;
    function buildFilters() {
      if (filtersBuilt) {
        filterBar.hidden = false;
        return;
      }
      filtersBuilt = true;
      fetchJSON("search/filters.json").then(function (filters) {
        Object.keys(FILTER_NAMES).forEach(function (name) {
          var values = filters[name] || {};
          var select = el("select", { "aria-label": FILTER_NAMES[name], "data-filter": name });
          select.appendChild(el("option", { value: "" }, FILTER_NAMES[name]));
          var order = Object.keys(values).sort();
          if (name === "年份") order.reverse();
          order.forEach(function (value) {
            select.appendChild(el("option", { value: value }, value + "（" + values[value] + "）"));
          });
          select.addEventListener("change", schedule);
          selects[name] = select;
          filterBar.appendChild(select);
        });
        filterBar.hidden = false;
      });
    }

    function activeFilters() {
      var chosen = {};
      Object.keys(selects).forEach(function (name) {
        if (selects[name].value) chosen[name] = selects[name].value;
      });
      return chosen;
    }

    function schedule() {
      clearTimeout(timer);
      timer = setTimeout(run, 150);
    }

    function run() {
      var raw = input.value;
      var filters = activeFilters();
      var mine = ++generation;
      ["data-query", "data-first", "data-first-at", "data-count"].forEach(function (a) { meta.removeAttribute(a); });
      if (!raw.trim() && !Object.keys(filters).length) {
        list.textContent = "";
        meta.textContent = "输入关键词开始搜索";
        return;
      }
      var needsT2S = new RegExp("[" + HAN + "]").test(raw);
      Promise.all([needsT2S ? loadT2S() : null, loadSearchIndex()]).then(function (ready) {
        var index = ready[1];
        var tries = raw.trim() ? foldQuery(raw).map(queryWords) : [[]];
        function attempt(i) {
          return rank(index, tries[i], filters).then(function (found) {
            if (found.length || i + 1 >= tries.length) return { found: found, words: tries[i] };
            return attempt(i + 1);
          });
        }
        return attempt(0).then(function (result) {
          if (mine === generation) show(index, result.found, result.words, raw, mine);
        });
      });
    }

    /* Every result is listed: the first ones as soon as their titles are there, the rest below
     * them on their own. A result's excerpt is fetched when it comes on screen. */
    function show(index, found, words, query, mine) {
      list.textContent = "";
      var documents = found.filter(function (s) { return !s.page; }).length;
      var others = found.length - documents;
      meta.textContent = found.length ? "找到 " + documents + " 份文件" + (others ? "，另有 " + others + " 个相关页面" : "")
        : "没有找到匹配的文件";
      meta.setAttribute("data-count", String(found.length));
      var shownWords = words.filter(function (w) { return !/^[0-9a-f]+y\d+n\d+$/.test(w); });
      function items(part) {
        return Promise.all(part.map(function (s) { return index.meta(s.n); })).then(function (entries) {
          if (mine !== generation) return;
          entries.forEach(function (entry) { if (entry) list.appendChild(item(entry, shownWords)); });
        });
      }
      items(found.slice(0, FIRST)).then(function () {
        if (mine !== generation) return null;
        return loadVisibleExcerpts().then(function () {
          if (mine !== generation) return null;
          // the first results are on screen: the benchmark counts what was fetched until then
          meta.setAttribute("data-first-at", String(performance.now()));
          meta.setAttribute("data-first", query);
          return items(found.slice(FIRST));
        });
      }).then(function () {
        if (mine !== generation) return;
        meta.setAttribute("data-query", query); // every result is listed (tests wait for it)
      });
    }

    var observer = "IntersectionObserver" in window ? new IntersectionObserver(function (seen) {
      seen.forEach(function (entry) { if (entry.isIntersecting) loadExcerpt(entry.target); });
    }, { root: scroller }) : null; // on screen: a result below it fetches its text when scrolled to

    function item(entry, words) {
      var node = el("li", { class: "md-search-result__item" });
      var link = el("a", { class: "md-search-result__link", href: new URL(entry[0] ? entry[0] + "/" : "", base).href, tabindex: "-1" });
      var article = el("article", { class: "md-search-result__article md-typeset" });
      var title = el("h1", {});
      title.appendChild(marked(entry[1] || entry[0], words));
      article.appendChild(title);
      var facts = [entry[2], entry[3], entry[4], entry[5]].filter(Boolean).join(" · ");
      if (facts) article.appendChild(el("p", { class: "search-result__facts" }, facts));
      article.appendChild(el("p", { class: "search-result__excerpt" }));
      link.appendChild(article);
      node.appendChild(link);
      if (entry[0].indexOf("doc/") !== 0) return node; // a place or browse page: found by its title, no excerpt
      node.archiveResult = { id: entry[0].split("/").pop(), words: words };
      if (observer) observer.observe(node);
      else loadExcerpt(node);
      return node;
    }

    function loadExcerpt(node) {
      var result = node.archiveResult;
      if (result.loading) return result.loading;
      if (observer) observer.unobserve(node);
      var path = "search/doc/" + result.id;
      result.loading = fetchJSON(path + ".json").then(function (doc) {
        // the opening of the text first (its first line is the title); the rest only when the
        // words are in neither: a result whose title holds them shows its opening
        if (!doc.more || holdsAWord(doc.text || "", result.words)) return doc.text;
        return fetchJSON(path + ".more.json").then(function (rest) { return doc.text + (rest.text || ""); });
      }).then(function (text) {
        var p = node.querySelector(".search-result__excerpt");
        if (text) p.appendChild(excerpt(text, result.words, 40));
        node.setAttribute("data-excerpt", "");
      });
      return result.loading;
    }

    function loadVisibleExcerpts() {
      var view = scroller.getBoundingClientRect();
      var shown = Array.prototype.filter.call(list.children, function (node) {
        if (!node.archiveResult) return false;
        var r = node.getBoundingClientRect();
        return r.bottom > view.top && r.top < Math.max(view.bottom, view.top + 1);
      });
      return Promise.all(shown.map(loadExcerpt));
    }

    input.addEventListener("focus", open);
    input.addEventListener("input", function () { open(); schedule(); });
    form.addEventListener("reset", function () { setTimeout(run, 0); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var first = list.querySelector("a");
      if (first) location.href = first.href;
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.checked) {
        toggle.checked = false;
        input.blur();
      } else if (event.key === "/" && !toggle.checked && !/INPUT|TEXTAREA|SELECT/.test(document.activeElement.tagName)) {
        event.preventDefault();
        input.focus();
      }
    });
    toggle.addEventListener("change", function () {
      if (toggle.checked) setTimeout(function () { input.focus(); }, 50);
    });
    // ?q=… opens the box with a query (links from the home page, the browser's site search)
    var q = new URLSearchParams(location.search).get("q");
    if (q) { input.value = q; open(); run(); }
  }

  /* ---------------------------------------------------------------------------------------
   * Link and cite controls on a document page
   * ------------------------------------------------------------------------------------- */

  var card = document.querySelector(".doc-card");

  /* The address a reader copies: the one in the address bar, so that the two never differ. */
  function pageUrl(id) {
    return location.origin + location.pathname + (id ? "#" + id : "");
  }

  /* The address a citation gives: the page's canonical one (mkdocs.yml site_url), whatever
   * address it was opened at; the address bar's only when the site was built without one. */
  function canonicalUrl(id) {
    return (card.dataset.url || location.origin + location.pathname) + (id ? "#" + id : "");
  }

  function today() {
    var d = new Date();
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
  }

  /* GB/T 7714-2015, electronic resource: 责任者. 题名: 文号[EB/OL]. (更新或修改日期)[引用日期]. URL.
   * The card carries it up to the date (scripts/web.py: citation_head); the day it is cited and
   * the address are the reader's. */
  function citation(id) {
    return card.dataset.citation + "[" + today() + "]. " + canonicalUrl(id) + ".";
  }

  function copy(text, button) {
    var done = function () {
      var label = button.textContent;
      button.textContent = "已复制";
      button.classList.add("is-copied");
      setTimeout(function () { button.textContent = label; button.classList.remove("is-copied"); }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { fallbackCopy(text); done(); });
    } else {
      fallbackCopy(text);
      done();
    }
  }
  function fallbackCopy(text) {
    var area = el("textarea", { readonly: "", class: "anchor-tools__scratch" });
    area.value = text;
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } catch (e) { /* the text stays visible to copy by hand */ }
    area.remove();
  }

  var popover = null;
  function showTools(target, id) {
    if (popover) popover.remove();
    var url = pageUrl(id);
    var cite = citation(id);
    popover = el("div", { class: "anchor-tools", role: "dialog", "aria-label": "链接与引用" });
    var linkButton = el("button", { type: "button", class: "anchor-tools__copy-link", "data-url": url }, "复制链接");
    var citeButton = el("button", { type: "button", class: "anchor-tools__copy-cite", "data-citation": cite }, "复制引用");
    var closeButton = el("button", { type: "button", class: "anchor-tools__close", "aria-label": "关闭" }, "×");
    linkButton.addEventListener("click", function () { copy(url, linkButton); });
    citeButton.addEventListener("click", function () { copy(cite, citeButton); });
    closeButton.addEventListener("click", function () { popover.remove(); popover = null; });
    popover.appendChild(el("p", { class: "anchor-tools__url" }, url));
    popover.appendChild(el("p", { class: "anchor-tools__cite" }, cite));
    var row = el("p", { class: "anchor-tools__buttons" });
    row.appendChild(linkButton);
    row.appendChild(citeButton);
    row.appendChild(closeButton);
    popover.appendChild(row);
    target.insertAdjacentElement("afterend", popover);
    linkButton.focus({ preventScroll: true });
  }

  function highlight() {
    document.querySelectorAll(".is-target").forEach(function (n) { n.classList.remove("is-target"); });
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (target && target.dataset.movedTo) { // an old anchor (published/moved-anchors.txt): its words are
      // in the element right after it (which keeps the new id, unless a published link needs it elsewhere)
      var movedTo = target.dataset.movedTo;
      while (target && target.classList.contains("moved-anchor")) target = target.nextElementSibling;
      if (target && target.id === movedTo) history.replaceState(null, "", "#" + movedTo);
      if (target) target.scrollIntoView();
    }
    if (target) target.classList.add("is-target");
  }

  function setupAnchors() {
    if (!card) return;
    var article = card.closest("article");
    // paragraphs carry their ¶ link from the build (overrides/hooks/archive.py); list items here
    article.querySelectorAll("li[id]").forEach(function (node) {
      var link = el("a", { class: "para-link", href: "#" + node.id, "aria-label": "本段的链接与引用", title: "本段的链接与引用" }, "¶");
      node.appendChild(link);
    });
    article.addEventListener("click", function (event) {
      var link = event.target.closest("a.para-link, a.headerlink");
      if (!link) return;
      event.preventDefault();
      var id = link.getAttribute("href").slice(1);
      history.replaceState(null, "", "#" + id);
      highlight();
      showTools(link.parentElement, id);
    });
    var cite = card.querySelector(".doc-card__cite");
    cite.hidden = false;
    cite.addEventListener("click", function () { showTools(card, ""); });
    window.addEventListener("hashchange", highlight);
    highlight();
  }

  // The browse and wanted pages once listed every document on one page; their entries now sit
  // on pages of their own (browse/places/hunan/#p430422, wanted/h/#…), and the index links
  // to each. An old link to an entry of the index follows that link.
  function followMovedEntry() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (card || !id || document.getElementById(id)) return;
    var article = document.querySelector("article");
    var link = article && Array.prototype.find.call(article.querySelectorAll("a[href*='#']"), function (a) {
      return decodeURIComponent(a.hash.slice(1)) === id && a.pathname !== location.pathname;
    });
    if (link) {
      location.replace(link.href);
    } else if (/\/wanted\/$/.test(location.pathname)) {
      // an entry the index does not list (not among the most cited) is on the page of its first
      // letter, as archive/relations.py wanted_letter names it
      location.replace((/^[a-z]/.test(id) ? id.charAt(0) : "qita") + "/" + location.hash);
    }
  }

  setupSearch();
  setupAnchors();
  followMovedEntry();

  // For tests and for anyone checking that the browser and scripts/web.py agree.
  window.archiveSearch = { foldQuery: foldQuery, numberToken: numberToken, loadT2S: loadT2S, fold: fold, keyHash: keyHash };
})();
