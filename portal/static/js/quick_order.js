/* Quick order: a row re-checked alone swaps only its status (the fields keep what is being
   typed), so the fields' invalid marks follow the new status here. Without JavaScript the
   whole form is rendered again and the server sets them. */
(function () {
  "use strict";
  document.addEventListener("htmx:load", function (event) {
    var status = event.target;
    if (!status.matches || !status.matches(".qo-status")) return;
    var row = status.closest(".qo-row");
    if (!row) return;
    var message = status.querySelector(".qo-msg");
    var which = status.getAttribute("data-invalid") || "";
    row.querySelectorAll(".qo-sku input, .qo-qty input").forEach(function (input) {
      var field = input.closest(".qo-sku") ? "sku" : "qty";
      if (field === which && message) {
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", message.id);
      } else {
        input.removeAttribute("aria-invalid");
        input.removeAttribute("aria-describedby");
      }
    });
  });
})();

/* A paste into "Paste lines" is a whole list: check it at once (the same "Check lines" post a
   tap would send), so the buyer sees every line's verdict without looking for the button. */
(function () {
  "use strict";
  document.addEventListener("paste", function (event) {
    var area = event.target;
    if (!area.matches || !area.matches("#qo-form textarea[name=paste]")) return;
    setTimeout(function () {
      if (!area.value.trim()) return;
      var check = area.form.querySelector(".sticky-actions button[formaction$='/check']");
      area.form.requestSubmit(check || undefined);
    }, 0);
  });
})();
