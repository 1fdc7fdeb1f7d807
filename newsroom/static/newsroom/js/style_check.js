(function () {
  "use strict";

  function textOf(root, selector) {
    return Array.from(root.querySelectorAll(selector))
      .map(function (node) { return node.value !== undefined ? node.value : node.innerText; })
      .filter(Boolean)
      .join("\n\n");
  }

  function collect(form) {
    var body = form.querySelector("[data-contentpath='body']") || form;
    return {
      title: (form.querySelector("#id_title") || {}).value || "",
      lead: (form.querySelector("#id_lead") || {}).value || "",
      body: [textOf(body, ".public-DraftEditor-content"), textOf(body, "textarea")].join("\n\n"),
    };
  }

  function csrfToken(form) {
    var input = form.querySelector("input[name='csrfmiddlewaretoken']");
    return input ? input.value : "";
  }

  function bind(panel) {
    var button = panel.querySelector("[data-style-check-run]");
    var result = panel.querySelector("[data-style-check-result]");
    var form = panel.closest("form");
    if (!button || !form) return;
    button.addEventListener("click", function () {
      button.disabled = true;
      result.setAttribute("aria-busy", "true");
      fetch(panel.dataset.styleCheckUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(form) },
        body: JSON.stringify(collect(form)),
        credentials: "same-origin",
      })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.text();
        })
        .then(function (html) { result.innerHTML = html; })
        .catch(function () { result.innerHTML = "<p class='error-message'>Не удалось проверить текст. Попробуйте ещё раз.</p>"; })
        .finally(function () { button.disabled = false; result.removeAttribute("aria-busy"); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-style-check]").forEach(bind);
  });
})();
