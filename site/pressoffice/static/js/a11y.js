/* The version for the visually impaired (ГОСТ Р 52872-2019): font size, colour scheme, images,
   letter spacing. The choice is kept in this browser's localStorage only — no cookie, nothing
   sent to the server — and applied before the page is painted (this script is not deferred). */
(function () {
  "use strict";
  var KEY = "a11y";
  var DEFAULTS = { size: "1", scheme: "bw", images: "on", spacing: "1" };
  var root = document.documentElement;

  function read() {
    try {
      var stored = JSON.parse(window.localStorage.getItem(KEY) || "null");
      return stored && stored.on ? stored : null;
    } catch (error) {
      return null;
    }
  }

  function write(state) {
    try {
      if (state) window.localStorage.setItem(KEY, JSON.stringify(state));
      else window.localStorage.removeItem(KEY);
    } catch (error) { /* private mode: the choice lasts for this page only */ }
  }

  function apply(state) {
    if (!state) {
      root.removeAttribute("data-a11y");
      ["size", "scheme", "images", "spacing"].forEach(function (name) {
        root.removeAttribute("data-a11y-" + name);
      });
      return;
    }
    root.setAttribute("data-a11y", "on");
    Object.keys(DEFAULTS).forEach(function (name) {
      root.setAttribute("data-a11y-" + name, state[name] || DEFAULTS[name]);
    });
  }

  apply(read());

  function sync(panel, toggle, state) {
    toggle.setAttribute("aria-pressed", state ? "true" : "false");
    toggle.textContent = state ? toggle.dataset.labelOff : toggle.dataset.labelOn;
    panel.hidden = !state;
    panel.querySelectorAll("[data-a11y-set]").forEach(function (button) {
      var name = button.dataset.a11ySet;
      var current = state ? state[name] || DEFAULTS[name] : null;
      button.setAttribute("aria-pressed", current === button.dataset.value ? "true" : "false");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.querySelector("[data-a11y-toggle]");
    var panel = document.querySelector("[data-a11y-panel]");
    if (!toggle || !panel) return;
    var state = read();
    sync(panel, toggle, state);
    toggle.addEventListener("click", function () {
      state = state ? null : Object.assign({ on: true }, DEFAULTS);
      write(state);
      apply(state);
      sync(panel, toggle, state);
    });
    panel.addEventListener("click", function (event) {
      var button = event.target.closest("[data-a11y-set]");
      if (!button || !state) return;
      state[button.dataset.a11ySet] = button.dataset.value;
      write(state);
      apply(state);
      sync(panel, toggle, state);
    });
  });
})();
