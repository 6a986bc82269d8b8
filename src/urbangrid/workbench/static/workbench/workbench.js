/* The workbench's behaviour: select all rows of a queue, and hold the self-refresh while rows are selected.
   No inline script anywhere (a Content-Security-Policy forbids it); everything is delegated from document. */
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.classList || !box.classList.contains("pick-all")) return;
    document.querySelectorAll("#queue-table input[name=case]").forEach(function (row) {
      row.checked = box.checked;
    });
  });

  // The queue refreshes itself every 30 s; a refresh would drop the operator's selection, so skip it then.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var table = event.detail && event.detail.elt;
    if (!table || table.id !== "queue-table") return;
    if (table.querySelector("input[name=case]:checked") || table.contains(document.activeElement)) {
      event.preventDefault();
    }
  });
})();
