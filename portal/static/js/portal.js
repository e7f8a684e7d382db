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
  document.addEventListener("htmx:sendError", function () {
    alertBox(document.documentElement.lang === "en"
      ? "No connection. Nothing was lost: try again when the signal is back."
      : "Pas de connexion. Rien n'est perdu : réessayez quand le réseau revient.");
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
