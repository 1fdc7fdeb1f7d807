(function () {
  "use strict";

  var FIELDS = [
    "title", "slug", "lead", "place", "start", "main_image",
    "social_text", "social_hashtags", "social_images", "social_publish_anyway",
    "social_text_vk", "social_text_ok", "social_text_telegram", "social_text_max",
  ];

  function csrfToken(form) {
    var input = form.querySelector("input[name='csrfmiddlewaretoken']");
    return input ? input.value : "";
  }

  function collect(form, panel) {
    var data = {
      page_id: panel.dataset.pageId || null,
      parent_id: panel.dataset.parentId || null,
      page_type: panel.dataset.pageType,
    };
    FIELDS.forEach(function (name) {
      var field = form.elements.namedItem(name);
      if (field && field.type === "checkbox") data[name] = field.checked;
      else if (field && field.value !== undefined) data[name] = field.value;
    });
    return data;
  }

  function bind(panel) {
    var result = panel.querySelector("[data-social-preview-result]");
    var form = panel.closest("form");
    if (!result || !form) return;
    var timer = null;
    var sequence = 0;

    function refresh() {
      var mine = ++sequence;
      result.setAttribute("aria-busy", "true");
      fetch(panel.dataset.previewUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(form) },
        body: JSON.stringify(collect(form, panel)),
        credentials: "same-origin",
      })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.text();
        })
        .then(function (html) { if (mine === sequence) result.innerHTML = html; })
        .catch(function () {
          if (mine === sequence) {
            result.innerHTML = "<p class='error-message'>Не удалось показать предпросмотр. Проверьте соединение — текст в форме не потерян.</p>";
          }
        })
        .finally(function () { if (mine === sequence) result.removeAttribute("aria-busy"); });
    }

    function later() {
      clearTimeout(timer);
      timer = setTimeout(refresh, 400);
    }

    form.addEventListener("input", function (event) {
      if (FIELDS.indexOf(event.target.name) !== -1) later();
    });
    form.addEventListener("change", function (event) {
      if (FIELDS.indexOf(event.target.name) !== -1) later();
    });
    refresh();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-social-preview]").forEach(bind);
  });
})();
