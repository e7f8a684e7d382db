/* Our own small script: answers for network failures and one-shot plain forms. */
(function () {
  "use strict";
  function alertBox(text) {
    var box = document.getElementById("alerts");
    if (!box) return;
    var p = document.createElement("p");
    p.className = "flash flash-error";
    p.setAttribute("role", "alert");
    p.textContent = text;
    box.replaceChildren(p);
  }
  // A request that never got an answer (weak signal): say so, nothing is lost.
  document.addEventListener("htmx:sendError", function (event) {
    if (event.detail.kept) return;  // kept on the phone to send later (offline.js) and said
    alertBox(document.documentElement.lang === "en"
      ? "No connection. Nothing was lost: try again when the signal is back."
      : "Pas de connexion. Rien n'est perdu : réessayez quand le réseau revient.");
  });
  // A file over its limit is said at its field on choosing it (upload_limit_attrs): the form
  // is not posted, so nothing typed around it is lost to a "too large" page.
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=file][data-max-bytes]")) return;
    var file = input.files && input.files[0];
    var limit = Number(file && file.type === "application/pdf"
      ? input.dataset.maxPdfBytes : input.dataset.maxBytes);
    var tooLarge = Boolean(file && file.size > limit);
    input.setCustomValidity(tooLarge ? input.dataset.tooLarge : "");
    // Said in the page too, where it stays (the browser's bubble fades in seconds).
    var said = document.getElementById(input.id + "-too-large");
    if (said) said.remove();
    input.removeAttribute("aria-invalid");
    if (tooLarge) {
      said = document.createElement("p");
      said.className = "error";
      said.id = input.id + "-too-large";
      said.setAttribute("role", "alert");
      said.textContent = input.dataset.tooLarge;
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", said.id);
      input.insertAdjacentElement("afterend", said);
    }
  });
  // Plain (non-htmx) forms marked data-once: disable the submit button after the first tap.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-once]")) return;
    if (form.dataset.sent) { event.preventDefault(); return; }
    form.dataset.sent = "1";
    form.querySelectorAll("button[type=submit], button:not([type])").forEach(function (b) {
      b.setAttribute("aria-disabled", "true");
      b.classList.add("htmx-request");
    });
  });
})();
