// crmorg handbook search: reads the prebuilt index (search-index.js, a global) and
// the query (?q=...), and lists what matches. No network; works from file://.
(function () {
  "use strict";
  var index = window.CRMORG_SEARCH || [];
  var texts = JSON.parse(document.getElementById("search-texts").textContent);
  var input = document.getElementById("search-query");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");

  function fold(text) {
    return (text || "").toLowerCase().normalize("NFKC");
  }

  function score(entry, words) {
    var title = fold(entry.t);
    var rest = fold((entry.d || "") + " " + (entry.i || "") + " " + entry.k);
    var total = 0;
    for (var i = 0; i < words.length; i++) {
      var w = words[i];
      if (title === w) total += 10;
      else if (title.indexOf(w) === 0) total += 6;
      else if (title.indexOf(w) >= 0) total += 4;
      else if (rest.indexOf(w) >= 0) total += 1;
      else return 0;
    }
    return total;
  }

  function search(query) {
    var words = fold(query).split(/\s+/).filter(Boolean);
    list.textContent = "";
    if (!words.length) {
      status.textContent = "";
      return;
    }
    var hits = [];
    for (var i = 0; i < index.length; i++) {
      var s = score(index[i], words);
      if (s > 0) hits.push([s, i]);
    }
    hits.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
    status.textContent = hits.length ? texts.count.replace("{count}", hits.length) : texts.none;
    hits.slice(0, 200).forEach(function (hit) {
      var entry = index[hit[1]];
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = entry.u;
      link.textContent = entry.t;
      var kind = document.createElement("span");
      kind.className = "badge";
      kind.textContent = entry.k;
      item.appendChild(link);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(kind);
      if (entry.d) {
        var text = document.createElement("div");
        text.className = "small muted";
        text.textContent = entry.d;
        item.appendChild(text);
      }
      list.appendChild(item);
    });
  }

  var query = new URLSearchParams(window.location.search).get("q") || "";
  input.value = query;
  search(query);
  input.addEventListener("input", function () { search(input.value); });
})();
