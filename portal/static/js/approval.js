/* The approval page: line totals and the order total follow the quantities typed, and the
   Approve button says when it will apply changes (the server decides on what is shown). */
(function () {
  "use strict";
  function update(form) {
    var subtotal = form.ownerDocument.querySelector("[data-approval-subtotal]");
    var currency = subtotal ? subtotal.dataset.currency : "EUR";
    var fmt = new Intl.NumberFormat(document.documentElement.lang || "fr",
                                    {style: "currency", currency: currency});
    var sum = 0, changed = 0, valid = true;
    form.querySelectorAll("input[data-unit-cents]").forEach(function (input) {
      var text = input.value.trim();
      var ok = /^[0-9]{1,6}$/.test(text);
      var qty = ok ? parseInt(text, 10) : parseInt(input.dataset.ordered, 10);
      var cents = qty * parseInt(input.dataset.unitCents, 10);
      var out = form.querySelector('output[for="' + input.id + '"]');
      if (out) out.textContent = ok ? fmt.format(cents / 100) : "–";
      if (!ok) valid = false;
      if (qty !== parseInt(input.dataset.ordered, 10)) changed += 1;
      sum += cents;
    });
    if (subtotal && valid) subtotal.textContent = fmt.format(sum / 100);
    var button = form.querySelector("button[data-changed-label]");
    if (button) {
      var label = button.querySelector("span");
      if (!button.dataset.label) button.dataset.label = label.textContent;
      label.textContent = changed ? button.dataset.changedLabel : button.dataset.label;
    }
  }
  document.addEventListener("input", function (event) {
    var form = event.target.closest && event.target.closest("form[data-approval-form]");
    if (form) update(form);
  });
  function init() {
    document.querySelectorAll("form[data-approval-form]").forEach(update);
  }
  document.addEventListener("DOMContentLoaded", init);
  document.addEventListener("htmx:load", init);
})();
