// The descriptive-language nudge: under each note box, gently point out words that judge rather
// than describe, with a suggestion. It never blocks anything. The word list comes from the page
// (data-word-list), which the server reads from the district's editable file.
(function () {
  "use strict";
  var cache = new WeakMap();

  function patternsFor(area) {
    var holder = area.closest("[data-word-list]");
    if (!holder) return [];
    if (!cache.has(holder)) {
      cache.set(holder, JSON.parse(holder.dataset.wordList).map(function (w) {
        var escaped = w.phrase.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/ /g, "\\s+");
        return { re: new RegExp("(?<![\\w'])" + escaped + "(?![\\w'])", "i"), suggestion: w.suggestion };
      }));
    }
    return cache.get(holder);
  }

  function nudge(area) {
    var box = area.parentNode.querySelector(".nudge");
    if (!box) return;
    var found = [], taken = [];
    patternsFor(area).forEach(function (p) {
      var m = p.re.exec(area.value);
      if (!m || taken.some(function (t) { return m.index >= t[0] && m.index < t[1]; })) return;
      taken.push([m.index, m.index + m[0].length]);
      found.push({ at: m.index, phrase: m[0], suggestion: p.suggestion });
    });
    found.sort(function (a, b) { return a.at - b.at; });
    box.textContent = "";
    found.slice(0, 3).forEach(function (f) {
      var line = document.createElement("p");
      var mark = document.createElement("mark");
      mark.textContent = f.phrase;
      line.appendChild(mark);
      line.appendChild(document.createTextNode(": " + f.suggestion));
      box.appendChild(line);
    });
  }

  window.Walkthrough = window.Walkthrough || {};
  window.Walkthrough.nudge = nudge;
  document.addEventListener("input", function (event) {
    if (event.target.tagName === "TEXTAREA" && event.target.closest("[data-word-list]")) nudge(event.target);
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-word-list] textarea").forEach(nudge);
  });
})();
