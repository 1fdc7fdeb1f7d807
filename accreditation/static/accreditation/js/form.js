// «Добавить журналиста»: one more set of fields, without reloading the page (the link works
// without JavaScript too: it reloads the form with one more journalist).
(function () {
    "use strict";
    var form = document.querySelector("[data-accreditation-form]");
    if (!form) return;
    var add = form.querySelector("[data-add-journalist]");
    var list = form.querySelector("[data-journalists]");
    var template = form.querySelector("template[data-empty-journalist]");
    var total = form.querySelector("input[name$='-TOTAL_FORMS']");
    if (!add || !list || !template || !total) return;
    var max = parseInt(add.getAttribute("data-max"), 10) || 20;

    function refresh() {
        add.hidden = parseInt(total.value, 10) >= max;
    }

    add.addEventListener("click", function (event) {
        event.preventDefault();
        var index = parseInt(total.value, 10);
        if (index >= max) return;
        var html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__num__/g, String(index + 1));
        list.insertAdjacentHTML("beforeend", html);
        total.value = String(index + 1);
        var added = list.lastElementChild;
        var first = added && added.querySelector("input");
        if (first) first.focus();
        refresh();
    });
    refresh();

    var summary = document.getElementById("acc-summary");
    if (summary) summary.focus();
})();
