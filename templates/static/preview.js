// Only in `python build.py serve`: show data errors over the page until they are fixed.
(function () {
  "use strict";
  // the interface's words in the page's language: a JSON object in <script id="ui-text"> (base.html)
  var UI = {};
  try { UI = JSON.parse(document.getElementById("ui-text").textContent); } catch (e) { UI = {}; }
  var script = document.currentScript;
  var base = script.src.replace(/assets\/preview\.js.*$/, "");
  fetch(base + "__preview/errors.json", { cache: "no-store" })
    .then(function (r) { return r.ok ? r.json() : []; })
    .then(function (errors) {
      if (!errors.length) { return; }
      var box = document.createElement("div");
      box.className = "preview-errors";
      box.setAttribute("role", "alert");
      var h = document.createElement("h2");
      h.textContent = (UI.preview_errors || "").replace("%(n)s", errors.length);
      var pre = document.createElement("pre");
      pre.textContent = errors.join("\n");
      box.appendChild(h);
      box.appendChild(pre);
      document.body.insertBefore(box, document.body.firstChild);
    })
    .catch(function () {});
})();
