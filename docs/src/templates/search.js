// Search and filters over the index embedded in the page (no fetch, so it works from file://).
// `?q=...` in the address fills the search box, so a search can be linked to.
(function () {
  var index = window.EVENTBIND_INDEX || [];
  var q = document.getElementById("q");
  var facets = { owner: "f-owner", category: "f-category", format: "f-format", mode: "f-mode" };
  var count = document.getElementById("result-count");
  function value(id) { return document.getElementById(id).value; }
  function apply() {
    var text = q.value.trim().toLowerCase();
    var shown = 0;
    index.forEach(function (e) {
      var match = !text || e.terms.some(function (t) { return t.indexOf(text) >= 0; });
      Object.keys(facets).forEach(function (f) {
        var wanted = value(facets[f]);
        if (wanted && e[f] !== wanted) { match = false; }
      });
      var item = document.getElementById("event-" + e.name);
      if (item) { item.hidden = !match; }
      if (match) { shown += 1; }
    });
    document.querySelectorAll("[data-group]").forEach(function (group) {
      group.hidden = group.querySelectorAll("li.event:not([hidden])").length === 0;
    });
    count.textContent = shown + " of " + index.length + " event types";
  }
  var params = new URLSearchParams(window.location.search);
  if (params.get("q")) { q.value = params.get("q"); }
  q.addEventListener("input", apply);
  Object.keys(facets).forEach(function (f) {
    var select = document.getElementById(facets[f]);
    if (params.get(f)) { select.value = params.get(f); }
    select.addEventListener("change", apply);
  });
  apply();
  document.body.setAttribute("data-search-ready", "true");
})();
