/* propscope report: per-technique and per-layer toggles. Works on any page holding .ps-doc fragments. */
(function () {
  "use strict";
  function refresh(doc) {
    var on = {};
    doc.querySelectorAll("input.ps-toggle").forEach(function (box) { on[box.value] = box.checked; });
    doc.querySelectorAll(".ps-seg[data-t]").forEach(function (seg) {
      var ids = seg.getAttribute("data-t").split(" ");
      var colours = seg.getAttribute("data-c").split(" ");
      var shown = [];
      ids.forEach(function (id, i) { if (on[id] !== false) { shown.push(colours[i]); } });
      seg.classList.toggle("ps-off", shown.length === 0);
      seg.style.background = shown.length ? shown[0] : "";
      seg.style.boxShadow = shown.slice(1).map(function (c, i) {
        return "inset 0 -" + (3 * (i + 1)) + "px 0 " + c;
      }).join(", ");
    });
  }
  document.addEventListener("change", function (event) {
    var box = event.target;
    var doc = box.closest ? box.closest(".ps-doc") : null;
    if (!doc) { return; }
    if (box.matches("input.ps-toggle")) {
      refresh(doc);
    } else if (box.matches("input.ps-all")) {
      doc.querySelectorAll("input.ps-toggle").forEach(function (b) { b.checked = box.checked; });
      refresh(doc);
    } else if (box.matches("input.ps-layer")) {
      doc.classList.toggle("ps-hide-" + box.value, !box.checked);
    }
  });
})();
