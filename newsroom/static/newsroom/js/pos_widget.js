/* The federal feedback platform's (ПОС) widget: its script is loaded from pos.gosuslugi.ru and
   started with the organisation's widget number; the banner above is ours (no inline code). */
(function () {
  "use strict";
  var box = document.querySelector("[data-pos-widget]");
  if (!box) return;
  var failed = box.querySelector("[data-pos-failed]");
  var script = document.createElement("script");
  script.src = box.dataset.posScript;
  script.async = true;
  script.onload = function () {
    if (typeof window.Widget === "function") {
      window.Widget(box.dataset.posForm, Number(box.dataset.posId));
    } else if (failed) {
      failed.hidden = false;
    }
  };
  script.onerror = function () { if (failed) failed.hidden = false; };
  document.head.appendChild(script);
})();
