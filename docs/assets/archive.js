/* 县域经济政策文库: the header search box and the link / cite controls of a document.
 *
 * Plain browser JavaScript, no build step. The search index (site/search/, written by
 * scripts/site/search_index.py, which says how it is laid out) is fetched a few small files at a
 * time when a reader starts to search, so reading a page costs nothing extra. What Python decides
 * comes with the index, in search/index.json: the ranking's parameters, and the rules a query is
 * read by (search_index.browser_rules: the patterns of a 文号 and of a decree's number, the
 * numeral tables, how an organ is named, the filters, what folding keeps). This file holds none
 * of them; the longest query is the box's maxlength, which the hook writes.
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

  /* An address fragment as the id it names: a malformed escape (#%E0%A4%A) names nothing. */
  function fragmentId(hash) {
    var raw = hash.replace(/^#/, "");
    try { return decodeURIComponent(raw); } catch (e) { return raw; }
  }

  /* ---------------------------------------------------------------------------------------
   * Query folding: traditional → simplified, and a loosely typed 文号 → one token, by the rules
   * of scripts/pages/web.py (docnumber_token, t2s_table); tests check both sides agree.
   * ------------------------------------------------------------------------------------- */

  // search_index.MAX_QUERY, written by the hook into the box's maxlength (a paste is cut there)
  var MAX_QUERY = (function () {
    var input = document.querySelector("[data-archive-search] .md-search__input");
    return input && input.maxLength > 0 ? input.maxLength : 200;
  })();
  /* A query as the box takes it: at most MAX_QUERY characters (a pasted page is cut, not searched). */
  function bounded(raw) {
    return raw.length > MAX_QUERY ? Array.from(raw.slice(0, MAX_QUERY * 2)).slice(0, MAX_QUERY).join("") : raw;
  }

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

  /* What Python decides of a query (search/index.json "rules", search_index.browser_rules),
   * compiled once the index's manifest is here: nothing below reads a query before it. */
  var RULES = null;
  function useRules(rules) {
    RULES = {
      looseNumber: new RegExp(rules.looseNumber), // 衡政办发2024 5号, 衡政办发[2024]5號
      looseNumberSource: rules.looseNumber,
      seriesQuery: new RegExp(rules.seriesQuery), // 江西省人民政府令第232号, 财政部公告2019年第39号
      numberToken: new RegExp(rules.numberToken),
      digits: rules.digits, units: rules.units,
      organGaps: new RegExp(rules.organ.gaps, "g"), nation: new RegExp(rules.organ.nation),
      government: new RegExp(rules.organ.government), governmentAs: rules.organ.governmentAs,
      filters: rules.filters, pages: rules.pages, marks: rules.marks, hash: rules.hash, fold: rules.fold
    };
  }

  function hexOf(text) {
    return Array.from(text).map(function (ch) { return ch.codePointAt(0).toString(16); }).join("");
  }
  function numberToken(code, year, serial) { // as web.docnumber_token: 'h' ends the serial
    return hexOf(toSimplified(code)) + "y" + parseInt(year, 10) + "n" + parseInt(serial, 10) + "h";
  }

  /* As core/numerals.py numeral_value, for a serial: 232, ２３２, 二百三十二, 二三二. */
  function numeralValue(text) {
    var total = 0, number = null;
    Array.from(text).forEach(function (ch) {
      if (ch in RULES.units) {
        total += (number === null ? 1 : number) * RULES.units[ch];
        number = null;
      } else {
        var d = ch in RULES.digits ? RULES.digits[ch] : /[0-9０-９]/.test(ch) ? (ch.charCodeAt(0) & 0xf) : 0;
        number = number === null ? d : number * 10 + d;
      }
    });
    return total + (number || 0);
  }
  function organKey(organ) { // as docnumber.organ_key: 中华人民共和国国务院 → 国务院, 江西省政府 → 江西省人民政府
    organ = organ.replace(RULES.organGaps, "").replace(RULES.nation, "");
    return organ.replace(RULES.government, RULES.governmentAs);
  }
  function seriesToken(organ, series, year, serial) { // as web.series_token
    return hexOf(organ ? organKey(organ) : "") + (series === "令" ? "l" : "g" + (year || "") + "n") + serial + "h";
  }
  /* As web.loose_series_tokens: with the organ typed, then without it; with the rest of the query. */
  function seriesTries(query) {
    var m = query.match(RULES.seriesQuery);
    if (!m) return [];
    var g = m.groups, series = g.d ? "公告" : "令";
    var serial = numeralValue(g.a || g.b || g.c || g.d);
    var rest = (query.slice(0, m.index) + " " + query.slice(m.index + m[0].length)).trim();
    var tokens = [seriesToken(g.organ, series, g.year, serial)];
    if (g.organ) tokens.push(seriesToken("", series, g.year, serial));
    return tokens.map(function (token) { return { words: (token + " " + rest).trim(), number: m[0].trim() }; });
  }

  /* The queries to try, best first: the 文号 token (or a decree's), then the words as typed. Each
   * says the number it read ("number"), so that a result can say which number it holds. */
  function queryTries(raw) {
    var query = toSimplified(bounded(raw).trim());
    var m = query.match(RULES.looseNumber);
    var tries = [];
    if (m) {
      var rest = (query.slice(0, m.index) + " " + query.slice(m.index + m[0].length)).trim();
      tries.push({ words: (numberToken(m.groups.code, m.groups.year, m.groups.serial) + " " + rest).trim(), number: m[0].trim() });
    } else {
      tries = seriesTries(query);
    }
    tries.push({ words: query, number: "" });
    return tries;
  }
  function foldQuery(raw) { // the words of each try (tests compare them with web.py's)
    return queryTries(raw).map(function (t) { return t.words; });
  }
  function isNumberToken(word) { return RULES.numberToken.test(word); }

  /* ---------------------------------------------------------------------------------------
   * Folding, as scripts/site/search_index.py folds text (tests check both sides agree).
   * ------------------------------------------------------------------------------------- */

  /* One code unit → its folded code (0: dropped), by search_index.FOLD_RANGES: [first, last,
   * what the first becomes, whether it is simplified]. */
  function foldUnit(c) {
    for (var r = 0; r < RULES.fold.length; r++) {
      var range = RULES.fold[r];
      if (c < range[0] || c > range[1]) continue;
      var simple = range[3] && t2sMap && t2sMap[String.fromCharCode(c)];
      return simple && simple.length === 1 ? simple.charCodeAt(0) : c - range[0] + range[2];
    }
    return 0;
  }
  /* A text folded (line breaks kept), and where each folded character stands in the text. */
  function foldText(text) {
    var out = [], at = [];
    for (var i = 0; i < text.length; i++) {
      var c = foldUnit(text.charCodeAt(i));
      if (c) { out.push(String.fromCharCode(c)); at.push(i); }
    }
    return { text: out.join(""), at: at };
  }
  function fold(text) { return foldText(text).text.replace(/\n/g, ""); }

  /* The pairs of a word the index is asked for: those at offsets 0, 2, 4 … and the last, which
   * cover every character (县域经济: 县域 and 经济); where they stand side by side, the word is. */
  function cover(length) {
    var offsets = [];
    for (var i = 0; i + 2 < length; i += 2) offsets.push(i);
    offsets.push(length - 2);
    return offsets;
  }
  /* Every distinct pair of a word, in order: linear in its length (a Set, not a list searched). */
  function wordKeys(word) {
    if (word.length === 1) return [word];
    var seen = new Set();
    for (var i = 0; i + 1 < word.length; i++) seen.add(word.slice(i, i + 2));
    return Array.from(seen);
  }
  function keyHash(key) { // FNV-1a over UTF-16 code units, as search_index.key_hash
    var h = RULES.hash.offset;
    for (var i = key.charAt(0) === RULES.marks.head ? 1 : 0; i < key.length; i++) {
      h = Math.imul(h ^ key.charCodeAt(i), RULES.hash.prime) >>> 0;
    }
    return h;
  }

  /* ---------------------------------------------------------------------------------------
   * The index: the manifest, shards of pairs (binary), of characters and filters (JSON), the
   * meta of results, the wanted entries. Each file is fetched once.
   * ------------------------------------------------------------------------------------- */

  function fetchJSON(path) {
    return fetch(new URL(path, base).href).then(function (r) { return r.ok ? r.json() : {}; });
  }
  function fetchBytes(path) {
    return fetch(new URL(path, base).href).then(function (r) {
      return r.ok ? r.arrayBuffer() : new ArrayBuffer(0);
    }).then(function (buffer) { return new Uint8Array(buffer); });
  }

  /* A shard of pairs: key → its bytes (search_index.read_shard says how they are written). */
  function readShard(bytes) {
    var entries = new Map(), at = 0;
    while (at < bytes.length) {
      var key = 0, scale = 1, b;
      do { b = bytes[at++]; key += (b & 0x7f) * scale; scale *= 128; } while (b & 0x80);
      var length = 0; scale = 1;
      do { b = bytes[at++]; length += (b & 0x7f) * scale; scale *= 128; } while (b & 0x80);
      entries.set(key, bytes.subarray(at, at + length));
      at += length;
    }
    return entries;
  }
  /* A pair's bytes → document number → its values (positions; in the head, position·4 + flags). */
  function readPositions(bytes, into, skip) {
    var at = 0, doc = -1;
    function next() {
      var value = 0, scale = 1, b;
      do { b = bytes[at++]; value += (b & 0x7f) * scale; scale *= 128; } while (b & 0x80);
      return value;
    }
    while (at < bytes.length) {
      doc += next() + 1;
      var values = [], value = -1, step;
      do { step = next(); value += Math.floor(step / 2) + 1; values.push(value); } while (step % 2);
      if (!skip || !skip(doc)) into.set(doc, values);
    }
    return into;
  }

  var searchIndex = null;
  function loadSearchIndex() {
    if (searchIndex) return searchIndex;
    searchIndex = fetchJSON("search/index.json").then(function (info) {
      useRules(info.rules);
      var size = Math.max(info.main ? info.main.size : 0, info.recent ? info.recent.size : 0);
      var bytes = (size + 7) >> 3;
      var files = {};
      var metas = {};
      var stale = new Uint8Array(bytes);
      info.stale.forEach(function (n) { stale[n >> 3] |= 1 << (n & 7); });
      function isStale(n) { return stale[n >> 3] >> (n & 7) & 1; }
      var lengths = Uint8Array.from(atob(info.lengths || ""), function (c) { return c.charCodeAt(0); });
      var steps = info.rank.lengthSteps;
      var total = 0, counted = 0;
      lengths.forEach(function (q) { if (q) { total += Math.pow(2, q / steps) - 1; counted++; } });
      var averageLength = counted ? total / counted : 1;

      function once(path, get) { return files[path] || (files[path] = get(path)); }
      /* The documents listed under a character or a filter value ('县', '^县', '=年份:2024'). */
      function jsonShard(part, key) {
        var where = info[part];
        if (!where) return Promise.resolve({});
        return once("search/" + part + "/" + (keyHash(key) & (where.shards - 1)) + ".json?v=" + where.v, fetchJSON);
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
      /* The main index's entries, but not its stale ones, and the recent index's. */
      function documents(key) {
        return Promise.all([jsonShard("main", key), jsonShard("recent", key)]).then(function (found) {
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
      function pairShard(part, pair) {
        var where = info[part];
        if (!where) return Promise.resolve(new Map());
        var path = "search/" + part + "/" + (keyHash(pair) & (where.pairs - 1)) + ".bin?v=" + where.v;
        return once(path, function (p) { return fetchBytes(p).then(readShard); });
      }
      /* Where a pair stands: {body: document → positions, head: document → position·4 + flags}. */
      function pairs(pair) {
        var code = (pair.charCodeAt(0) * 65536 + pair.charCodeAt(1)) * 2;
        return Promise.all([pairShard("main", pair), pairShard("recent", pair)]).then(function (found) {
          var body = new Map(), head = new Map();
          [[body, code], [head, code + 1]].forEach(function (kind) {
            var main = found[0].get(kind[1]), recent = found[1].get(kind[1]);
            if (main) readPositions(main, kind[0], isStale);
            if (recent) readPositions(recent, kind[0]);
          });
          return { body: body, head: head };
        });
      }
      function meta(n) { // what a result shows: [url, title, place, date, 文号, type]
        var chunk = Math.floor(n / info.chunk);
        return (metas[chunk] || (metas[chunk] = fetchJSON("search/meta/" + chunk + ".json")))
          .then(function (entries) { return entries[n]; });
      }
      /* The cited documents the archive lacks that a token or a folded title names. */
      function wanted(key) {
        if (!info.wanted || !key) return Promise.resolve([]);
        var path = "search/wanted/" + (keyHash(key) & (info.wanted.shards - 1)) + ".json?v=" + info.wanted.v;
        return once(path, fetchJSON).then(function (entries) { return entries[key] || []; });
      }
      return {
        info: info, bytes: bytes, all: all, pairs: pairs, meta: meta, wanted: wanted,
        count: info.count,
        averageLength: averageLength,
        length: function (n) { return lengths[n] ? Math.pow(2, lengths[n] / steps) - 1 : 0; },
        // ties rank newer first: the main index numbers documents newest first, the recent ones have their place
        order: function (n) { return n in info.order ? info.order[n] : n; },
        rank: info.rank,
        syllable: info.syllable // the flags of a head value (search_index.SYLLABLE_STARTS, …_ENDS)
      };
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
  function holds(set, n) { return set[n >> 3] >> (n & 7) & 1; }

  /* ---------------------------------------------------------------------------------------
   * Matching: where a word stands in each document, checked, never guessed. The documents holding
   * the pairs that cover a word are kept only where those pairs stand side by side (in the body);
   * in the head, a word in a pinyin line must start and end with a syllable
   * (search_index.occurrences says the same in Python).
   * ------------------------------------------------------------------------------------- */

  function has(values, wanted) { // a sorted list holds a value
    var low = 0, high = values.length;
    while (low < high) {
      var middle = (low + high) >> 1;
      if (values[middle] < wanted) low = middle + 1; else high = middle;
    }
    return low < values.length && values[low] === wanted;
  }
  function flagsAt(values, position) { // the flags of a head value at this position, or -1
    var low = 0, high = values.length, least = position * 4;
    while (low < high) {
      var middle = (low + high) >> 1;
      if (values[middle] < least) low = middle + 1; else high = middle;
    }
    return low < values.length && values[low] < least + 4 ? values[low] - least : -1;
  }

  /* A word → document number → {head: times in the head, body: its positions in the body}. */
  function find(index, word) {
    var found = new Map();
    if (word.length === 1) { // a character: listed whole, without positions
      return Promise.all([index.all([word]), index.all([RULES.marks.head + word])]).then(function (sets) {
        members(sets[0]).forEach(function (n) { found.set(n, { head: 0, body: [], times: 1 }); });
        members(sets[1]).forEach(function (n) {
          var hit = found.get(n) || { head: 0, body: [], times: 0 };
          hit.head = 1;
          found.set(n, hit);
        });
        return found;
      });
    }
    var offsets = cover(word.length);
    return Promise.all(offsets.map(function (o) { return index.pairs(word.slice(o, o + 2)); })).then(function (lists) {
      lists[0].body.forEach(function (positions, n) {
        var others = lists.map(function (l) { return l.body.get(n); });
        if (others.some(function (o) { return !o; })) return;
        var starts = positions.filter(function (p) {
          for (var k = 1; k < offsets.length; k++) if (!has(others[k], p + offsets[k])) return false;
          return true;
        });
        if (starts.length) found.set(n, { head: 0, body: starts, times: starts.length });
      });
      var last = offsets.length - 1, STARTS = index.syllable.starts, ENDS = index.syllable.ends;
      lists[0].head.forEach(function (values, n) {
        var others = lists.map(function (l) { return l.head.get(n); });
        if (others.some(function (o) { return !o; })) return;
        var times = values.filter(function (value) {
          var p = Math.floor(value / 4);
          if (!(value & STARTS)) return false; // a pinyin word starts with a syllable
          for (var k = 1; k < offsets.length; k++) if (flagsAt(others[k], p + offsets[k]) < 0) return false;
          return (last ? flagsAt(others[last], p + offsets[last]) : value & (STARTS | ENDS)) & ENDS; // … and ends with one
        }).length;
        if (!times) return;
        var hit = found.get(n) || { head: 0, body: [], times: 0 };
        hit.head = times;
        found.set(n, hit);
      });
      return found;
    });
  }

  /* ---------------------------------------------------------------------------------------
   * Ranking: documents before other pages (places, browse lists: found by their titles), more of
   * the query's words first, a document whose own 文号 is the one asked for before those citing
   * it, then BM25 over head and body (a word in the head counts rank.head times; the ranking's
   * parameters come from search_index.RANKING), then date, newer first.
   * ------------------------------------------------------------------------------------- */

  function rank(index, words, filters) { // filters: by their name in the address (year: 2019)
    var filterKeys = Object.keys(filters).map(function (param) {
      return RULES.marks.filter + RULES.filters[param] + ":" + filters[param];
    });
    var asked = [
      Promise.all(words.map(function (word) { return find(index, word); })),
      filterKeys.length ? index.all(filterKeys) : null,
      index.all([RULES.pages])
    ];
    return Promise.all(asked).then(function (got) {
      var founds = got[0], allowed = got[1], pages = got[2];
      var p = index.rank, scores = new Map();
      function score(n) {
        if (!scores.has(n)) scores.set(n, { n: n, words: 0, own: 0, score: 0, page: holds(pages, n), found: [] });
        return scores.get(n);
      }
      founds.forEach(function (found, w) {
        var df = found.size;
        var idf = Math.log(1 + (index.count - df + 0.5) / (df + 0.5));
        found.forEach(function (hit, n) {
          var s = score(n);
          var tf = p.head * hit.head + hit.times;
          var norm = 1 - p.b + p.b * index.length(n) / index.averageLength;
          s.words += 1;
          s.score += idf * tf * (p.k1 + 1) / (tf + p.k1 * norm);
          if (hit.head && isNumberToken(words[w])) s.own = 1;
          s.found.push({ word: words[w], body: hit.body });
        });
      });
      if (!words.length && allowed) members(allowed).forEach(function (n) { score(n); });
      var list = [];
      scores.forEach(function (s) { if (!allowed || holds(allowed, s.n)) list.push(s); });
      return list.sort(function (a, b) {
        return a.page - b.page || b.words - a.words || b.own - a.own || b.score - a.score ||
          index.order(a.n) - index.order(b.n);
      });
    });
  }

  /* ---------------------------------------------------------------------------------------
   * Excerpts: the passage of a document's own text with the most of the query's words, each
   * marked whole; a cited 文号 (found by its token) marked where the text writes it.
   * ------------------------------------------------------------------------------------- */

  var PASSAGE = 120; // folded characters of an excerpt

  /* The start (a folded position) of the passage holding the most distinct words, then the most
   * of them: the positions of each word found, sorted. */
  function bestPassage(found, within) {
    var hits = [];
    found.forEach(function (f, w) {
      f.body.forEach(function (p) { if (p < within) hits.push([p, w, f.word.length]); });
    });
    if (!hits.length) return -1;
    hits.sort(function (a, b) { return a[0] - b[0]; });
    var best = -1, bestKey = [-1, -1], counts = {}, distinct = 0, from = 0;
    for (var to = 0; to < hits.length; to++) {
      counts[hits[to][1]] = (counts[hits[to][1]] || 0) + 1;
      if (counts[hits[to][1]] === 1) distinct++;
      while (hits[to][0] + hits[to][2] - hits[from][0] > PASSAGE) {
        if (--counts[hits[from][1]] === 0) distinct--;
        from++;
      }
      var key = [distinct, to - from + 1];
      if (key[0] > bestKey[0] || (key[0] === bestKey[0] && key[1] > bestKey[1])) { bestKey = key; best = hits[from][0]; }
    }
    return best;
  }

  /* Where the text writes a 文号 or decree number whose token is asked for: [from, to) in the text. */
  function numberSpans(text, tokens) {
    var spans = [];
    var numbers = new RegExp(RULES.looseNumberSource, "g"), m;
    while ((m = numbers.exec(text))) {
      var token = numberToken(m.groups.code, m.groups.year, m.groups.serial);
      if (tokens.some(function (t) { return sameNumber(t, token); })) spans.push([m.index, m.index + m[0].length]);
    }
    var series = new RegExp(RULES.seriesQuery.source, "g");
    while ((m = series.exec(text))) {
      if (!m[0]) { series.lastIndex++; continue; }
      var g = m.groups, kind = g.d ? "公告" : "令";
      var serialToken = seriesToken("", kind, g.year, numeralValue(g.a || g.b || g.c || g.d));
      if (tokens.some(function (t) { return t.slice(-serialToken.length) === serialToken; })) spans.push([m.index, m.index + m[0].length]);
    }
    return spans;
  }
  function sameNumber(asked, written) { // the same number; one organ may be written shorter
    return asked === written || asked.slice(-written.length) === written || written.slice(-asked.length) === asked;
  }

  /* An excerpt of a document's text (its first line is its title) around `start` (a folded
   * position; -1: its opening), with these [from, to) spans of the text marked. */
  function excerptOf(text, folded, start, spans, around) {
    var title = text.indexOf("\n");
    var from = start < 0 ? title + 1 : Math.max(title + 1, folded.at[Math.min(start, folded.at.length - 1)] - around);
    var end = Math.min(text.length, from + around * 4);
    spans.forEach(function (s) { // a marked word is never cut by either end
      if (s[0] < end && s[1] > end) end = s[1];
      if (s[0] < from && s[1] > from && s[0] > title) from = s[0];
    });
    var out = document.createDocumentFragment();
    if (from > title + 1) out.appendChild(document.createTextNode("…"));
    var at = from;
    spans.filter(function (s) { return s[1] > from && s[0] < end; })
      .sort(function (a, b) { return a[0] - b[0]; })
      .forEach(function (s) {
        var a = Math.max(s[0], from), b = Math.min(s[1], end);
        if (a < at) return; // inside a mark already
        out.appendChild(document.createTextNode(text.slice(at, a).replace(/\n/g, " ")));
        out.appendChild(el("mark", {}, text.slice(a, b).replace(/\n/g, " ")));
        at = b;
      });
    out.appendChild(document.createTextNode(text.slice(at, end).replace(/\n/g, " ") + (end < text.length ? "…" : "")));
    return out;
  }

  /* Every place the folded text holds a word: [from, to) in the text. */
  function wordSpans(folded, words) {
    var spans = [];
    words.forEach(function (word) {
      for (var at = folded.text.indexOf(word); at >= 0; at = folded.text.indexOf(word, at + 1)) {
        spans.push([folded.at[at], folded.at[at + word.length - 1] + 1]);
      }
    });
    return spans;
  }

  /* Marks every word of the query in a short text (a title). */
  function marked(text, words) {
    var wrap = document.createDocumentFragment();
    var spans = wordSpans(foldText(text), words).sort(function (a, b) { return a[0] - b[0]; });
    var at = 0;
    spans.forEach(function (m) {
      if (m[0] < at) return;
      wrap.appendChild(document.createTextNode(text.slice(at, m[0])));
      wrap.appendChild(el("mark", {}, text.slice(m[0], m[1])));
      at = m[1];
    });
    wrap.appendChild(document.createTextNode(text.slice(at)));
    return wrap;
  }

  /* ---------------------------------------------------------------------------------------
   * Search box. Its state is in the address (?q=…&year=…): Back from a result, a reload or a
   * shared link shows the same results; opening the box adds a step to the history, so that
   * Back closes it before it leaves the page (a phone's Back button).
   * ------------------------------------------------------------------------------------- */

  var box = document.querySelector("[data-archive-search]");
  var toggle = document.getElementById("__search");
  // The filters, by their name in the address (their names in the index are Python's: RULES.filters),
  // and what each select says when nothing is chosen
  var FILTER_LABELS = { level: "全部层级", place: "全部地区", year: "全部年份", type: "全部文种" };
  var FILTER_PARAMS = Object.keys(FILTER_LABELS);
  var FIRST = 10; // results shown first; the rest follow on their own

  function setupSearch() {
    if (!box || !toggle) return;
    var input = box.querySelector(".md-search__input");
    var form = box.querySelector("form");
    var meta = box.querySelector(".md-search-result__meta");
    var list = box.querySelector(".md-search-result__list");
    var filterBar = box.querySelector(".search-filters");
    var scroller = box.querySelector(".md-search__scrollwrap");
    var clear = box.querySelector("button[type=reset]");
    var selects = {};
    var chosen = {}; // filter values from the address, until their lists are there
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

    /* --- the address ---------------------------------------------------------------------- */
    function addressOf(query, filters) {
      var url = new URL(location.href);
      url.searchParams.delete("q");
      FILTER_PARAMS.forEach(function (param) { url.searchParams.delete(param); });
      if (query) url.searchParams.set("q", query);
      Object.keys(filters).forEach(function (param) { url.searchParams.set(param, filters[param]); });
      return url.href;
    }
    function inHistory() { return !!(history.state && history.state.archiveSearch); }
    function open() {
      if (!toggle.checked) toggle.checked = true;
      if (!inHistory()) history.pushState({ archiveSearch: true }, "", location.href);
      loadSearchIndex();
    }
    function closed() { // the reader closed the box: the step it added goes
      if (inHistory()) history.back();
    }
    window.addEventListener("popstate", function () {
      if (inHistory()) readAddress();
      else if (toggle.checked) toggle.checked = false;
    });
    function readAddress() {
      var params = new URLSearchParams(location.search);
      chosen = {};
      FILTER_PARAMS.forEach(function (param) {
        var value = params.get(param);
        if (value) chosen[param] = value;
      });
      input.value = bounded(params.get("q") || "");
      if (Object.keys(chosen).length) { filterButton.setAttribute("aria-expanded", "true"); buildFilters(); }
      if (!toggle.checked) toggle.checked = true;
      loadSearchIndex();
      run();
    }

    var filtersBuilt = false;
    function buildFilters() {
      if (filtersBuilt) {
        filterBar.hidden = false;
        return;
      }
      filtersBuilt = true;
      Promise.all([fetchJSON("search/filters.json"), loadSearchIndex()]).then(function (ready) {
        var filters = ready[0];
        FILTER_PARAMS.forEach(function (param) {
          var name = RULES.filters[param]; // the index's name of the filter (年份)
          var values = filters[name] || {};
          var select = el("select", { "aria-label": FILTER_LABELS[param], "data-filter": name });
          select.appendChild(el("option", { value: "" }, FILTER_LABELS[param]));
          var order = Object.keys(values).sort();
          if (param === "year") order.reverse();
          order.forEach(function (value) {
            select.appendChild(el("option", { value: value }, value + "（" + values[value] + "）"));
          });
          if (chosen[param] && values[chosen[param]]) select.value = chosen[param];
          select.addEventListener("change", schedule);
          selects[param] = select;
          filterBar.appendChild(select);
        });
        filterBar.hidden = false;
      });
    }

    function activeFilters() {
      if (!filtersBuilt || !Object.keys(selects).length) return Object.assign({}, chosen);
      var active = {};
      Object.keys(selects).forEach(function (name) {
        if (selects[name].value) active[name] = selects[name].value; // by its name in the address
      });
      return active;
    }

    function schedule() {
      clearTimeout(timer);
      timer = setTimeout(run, 150);
    }

    function run() {
      var raw = bounded(input.value);
      if (raw !== input.value) input.value = raw;
      var filters = activeFilters();
      var mine = ++generation;
      if (toggle.checked && inHistory()) history.replaceState(history.state, "", addressOf(raw.trim(), filters));
      ["data-query", "data-first", "data-first-at", "data-count"].forEach(function (a) { meta.removeAttribute(a); });
      if (!raw.trim() && !Object.keys(filters).length) {
        list.textContent = "";
        meta.textContent = "输入关键词开始搜索";
        return;
      }
      var needsT2S = /[^\x00-\x7f]/.test(raw); // a character beyond ASCII may be traditional
      Promise.all([needsT2S ? loadT2S() : null, loadSearchIndex()]).then(function (ready) {
        var index = ready[1];
        var tries = raw.trim() ? queryTries(raw) : [{ words: "", number: "" }];
        tries.forEach(function (t) { t.folded = t.words.split(/\s+/).map(fold).filter(Boolean); });
        function attempt(i) {
          return rank(index, tries[i].folded, filters).then(function (found) {
            if (found.length || i + 1 >= tries.length) return { found: found, asked: tries[i] };
            return attempt(i + 1);
          });
        }
        return Promise.all([attempt(0), wantedFor(index, tries, raw)]).then(function (result) {
          if (mine === generation) show(index, result[0].found, result[0].asked, result[1], raw, mine);
        });
      });
    }

    /* The wanted entries a query names whole: by the token of its 文号, or by a title. */
    var WANTED_TITLE = 5; // characters of the shortest title looked up (a word is no title)
    function wantedFor(index, tries, raw) {
      var keys = [];
      if (tries.length > 1) keys.push(tries[0].folded[0]);
      var title = fold(toSimplified(raw));
      if (title.length >= WANTED_TITLE) keys.push(title);
      return Promise.all(keys.map(index.wanted)).then(function (found) {
        var seen = {}, entries = [];
        found.forEach(function (list) {
          list.forEach(function (entry) {
            if (!seen[entry[2]]) { seen[entry[2]] = 1; entries.push(entry); } // by its url
          });
        });
        return entries;
      });
    }

    /* Every result is listed: the first ones as soon as their titles are there, the rest below
     * them on their own. A result's excerpt is fetched when it comes on screen. */
    function show(index, found, asked, wanted, query, mine) {
      list.textContent = "";
      var documents = found.filter(function (s) { return !s.page; }).length;
      var others = found.length - documents;
      meta.textContent = found.length ? "找到 " + documents + " 份文件" + (others ? "，另有 " + others + " 个相关页面" : "")
        : "没有找到匹配的文件";
      meta.setAttribute("data-count", String(found.length));
      var words = asked.folded.filter(function (w) { return !isNumberToken(w); });
      var shown = wanted.length ? Promise.all(wanted.map(function (entry) { return wantedItem(index, entry); }))
        .then(function (items) { if (mine === generation) items.forEach(function (item) { list.appendChild(item); }); })
        : Promise.resolve();
      function items(part) {
        return Promise.all(part.map(function (s) { return index.meta(s.n); })).then(function (entries) {
          if (mine !== generation) return;
          entries.forEach(function (entry, i) { if (entry) list.appendChild(item(entry, part[i], words, asked)); });
        });
      }
      shown.then(function () { return items(found.slice(0, FIRST)); }).then(function () {
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

    /* A cited document the archive lacks: "本库尚未收录", its entry on the wanted pages, and the
     * documents citing it. */
    function wantedItem(index, entry) {
      var numbers = entry[0], title = entry[1], url = entry[2], count = entry[3], citing = entry[4];
      return Promise.all(citing.map(index.meta)).then(function (metas) {
        var node = el("li", { class: "md-search-result__item search-wanted" });
        var article = el("article", { class: "md-search-result__article md-typeset" });
        var heading = el("h1", {});
        heading.appendChild(el("a", { href: new URL(url, base).href, class: "search-wanted__link" },
          title ? "《" + title + "》" : numbers[0]));
        article.appendChild(heading);
        article.appendChild(el("p", { class: "search-result__facts" },
          ["本库尚未收录"].concat(title ? numbers : []).join(" · ")));
        var cited = el("p", { class: "search-wanted__citing" }, "引用它的文件（" + count + " 份）：");
        var names = el("ul", {});
        metas.forEach(function (m) {
          if (!m) return;
          var li = el("li", {});
          li.appendChild(el("a", { href: new URL(m[0] + "/", base).href }, m[1]));
          names.appendChild(li);
        });
        article.appendChild(cited);
        article.appendChild(names);
        node.appendChild(article);
        return node;
      });
    }

    var observer = "IntersectionObserver" in window ? new IntersectionObserver(function (seen) {
      seen.forEach(function (entry) { if (entry.isIntersecting) loadExcerpt(entry.target); });
    }, { root: scroller }) : null; // on screen: a result below it fetches its text when scrolled to

    function item(entry, result, words, asked) {
      var node = el("li", { class: "md-search-result__item" });
      var link = el("a", { class: "md-search-result__link", href: new URL(entry[0] ? entry[0] + "/" : "", base).href, tabindex: "-1" });
      var article = el("article", { class: "md-search-result__article md-typeset" });
      var title = el("h1", {});
      title.appendChild(marked(entry[1] || entry[0], words));
      article.appendChild(title);
      var facts = el("p", { class: "search-result__facts" });
      [entry[2], entry[3], entry[4], entry[5]].forEach(function (fact, i) {
        if (!fact) return;
        if (facts.childNodes.length) facts.appendChild(document.createTextNode(" · "));
        facts.appendChild(i === 1 || i === 2 ? el("span", {}, fact) : document.createTextNode(fact)); // a date, a 文号: whole
      });
      if (facts.childNodes.length) article.appendChild(facts);
      var tokens = result.found.filter(function (f) { return isNumberToken(f.word); });
      if (tokens.length && asked.number) { // which number it holds: its own, or one it cites
        article.appendChild(el("p", { class: "search-result__number" },
          (result.own ? "本文文号：" : "引用了 ") + asked.number));
      }
      article.appendChild(el("p", { class: "search-result__excerpt" }));
      link.appendChild(article);
      node.appendChild(link);
      if (entry[0].indexOf("doc/") !== 0) return node; // a place or browse page: found by its title, no excerpt
      node.archiveResult = { id: entry[0].split("/").pop(), words: words, found: result.found, tokens: tokens.map(function (f) { return f.word; }) };
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
        // passage to show is further on, or a cited number is asked for and not in the opening
        var text = doc.text || "";
        var folded = foldText(text);
        var start = bestPassage(result.found, Infinity);
        var further = start >= folded.text.length - PASSAGE || (start < 0 && result.tokens.length && !numberSpans(text, result.tokens).length);
        if (!doc.more || !further) return text;
        return fetchJSON(path + ".more.json").then(function (rest) { return text + (rest.text || ""); });
      }).then(function (text) {
        var p = node.querySelector(".search-result__excerpt");
        if (text) {
          var folded = foldText(text);
          var start = bestPassage(result.found, folded.text.length);
          var spans = wordSpans(folded, result.words);
          if (result.tokens.length) {
            var numbers = numberSpans(text, result.tokens);
            spans = spans.concat(numbers);
            if (start < 0 && numbers.length) start = folded.at.indexOf(numbers[0][0]) >= 0 ? folded.at.indexOf(numbers[0][0]) : closest(folded, numbers[0][0]);
          }
          p.appendChild(excerptOf(text, folded, start, spans, 40));
        }
        node.setAttribute("data-excerpt", "");
      });
      return result.loading;
    }
    function closest(folded, offset) { // the folded position of the first character at or after offset
      for (var i = 0; i < folded.at.length; i++) if (folded.at[i] >= offset) return i;
      return -1;
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
    // the × clears the box and leaves the keyboard up: it never takes the focus from the box
    clear.addEventListener("pointerdown", function (event) { event.preventDefault(); });
    clear.addEventListener("mousedown", function (event) { event.preventDefault(); });
    form.addEventListener("reset", function () {
      setTimeout(function () { input.focus(); run(); }, 0);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var first = list.querySelector("a");
      if (first) location.href = first.href;
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.checked) {
        toggle.checked = false;
        input.blur();
        closed();
      } else if (event.key === "/" && !toggle.checked && !/INPUT|TEXTAREA|SELECT/.test(document.activeElement.tagName)) {
        event.preventDefault();
        input.focus();
      }
    });
    toggle.addEventListener("change", function () {
      if (toggle.checked) {
        setTimeout(function () { input.focus(); }, 50);
        open();
      } else {
        closed();
      }
    });
    // ?q=… opens the box with a query (a shared link, Back from a result, the browser's site
    // search): a link from elsewhere gets a step of its own, so that Back closes the box first
    var params = new URLSearchParams(location.search);
    var fromAddress = params.get("q") || FILTER_PARAMS.some(function (param) { return params.get(param); });
    if (fromAddress) {
      if (!inHistory()) {
        history.replaceState(null, "", addressOf("", {}));
        history.pushState({ archiveSearch: true }, "", addressOf(bounded(params.get("q") || ""), FILTER_PARAMS.reduce(function (f, param) {
          if (params.get(param)) f[param] = params.get(param);
          return f;
        }, {})));
      }
      readAddress();
    } else if (inHistory()) { // a reload of the step the box added, without a query
      toggle.checked = true;
      loadSearchIndex();
    }
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
   * The card carries it up to the date (scripts/pages/web.py: citation_head); the day it is cited and
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
    var id = fragmentId(location.hash);
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
    var id = fragmentId(location.hash);
    if (card || !id || document.getElementById(id)) return;
    var article = document.querySelector("article");
    var link = article && Array.prototype.find.call(article.querySelectorAll("a[href*='#']"), function (a) {
      return fragmentId(a.hash) === id && a.pathname !== location.pathname;
    });
    if (link) {
      location.replace(link.href);
    } else if (/\/wanted\/$/.test(location.pathname) && /^[a-z0-9][a-z0-9-]*$/.test(id)) {
      // an entry the index does not list (not among the most cited) is on the page of its first
      // letter, as archive/relations.py wanted_letter names it (an anchor is ASCII: anything else
      // names no entry, and stays here)
      location.replace((/^[a-z]/.test(id) ? id.charAt(0) : "qita") + "/" + location.hash);
    }
  }

  setupSearch();
  setupAnchors();
  followMovedEntry();

  // For tests and for anyone checking that the browser and scripts/pages/web.py agree.
  // ready(): the traditional → simplified table and the index's rules, which folding reads.
  window.archiveSearch = {
    foldQuery: foldQuery, numberToken: numberToken, fold: fold, keyHash: keyHash,
    wordKeys: wordKeys, bounded: bounded,
    ready: function () { return Promise.all([loadT2S(), loadSearchIndex()]); }
  };
})();
