/* 县域经济政策文库, search: the index, fetched and read, and where a word stands in it.
 *
 * The index (site/search/, written by scripts/site/search_index.py, which says how it is laid out)
 * is fetched a few small files at a time when a reader starts to search, so reading a page costs
 * nothing extra: the manifest (search/index.json, with the rules a query is read by: handed to
 * assets/search/query.js), shards of pairs (binary: document numbers and positions), of
 * characters and filters (JSON), the meta of results, the wanted entries. Each file is fetched
 * once. find() says where a word stands in each document, checked against the positions.
 *
 * Uses: Archive.base (assets/archive-base.js), Archive.query. Adds: Archive.index.
 */
(function () {
  "use strict";

  var base = Archive.base;
  var RULES = Archive.query.RULES, useRules = Archive.query.useRules;
  var keyHash = Archive.query.keyHash, cover = Archive.query.cover;

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
        all: all, pairs: pairs, meta: meta, wanted: wanted,
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

  Archive.index = {
    fetchJSON: fetchJSON, loadSearchIndex: loadSearchIndex, find: find, members: members, holds: holds
  };
})();
