// Small behaviours shared by every page. Loaded as a file so the CSP can forbid inline script.
(function () {
  "use strict";

  function say(message) {
    var region = document.getElementById("live-message");
    if (!region) return;
    region.textContent = message;
    region.classList.add("toast--visible");
    window.clearTimeout(say.timer);
    say.timer = window.setTimeout(function () { region.classList.remove("toast--visible"); }, 6000);
  }

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    if (status === 403) say("That isn't open to you.");
    else if (status === 429) say("Too many attempts. Wait a moment and try again.");
    else say("Something went wrong and nothing was changed. Try again in a moment.");
  });

  document.addEventListener("htmx:sendError", function () {
    say("You seem to be offline. Nothing was changed; try again when you're connected.");
  });

  // Move focus to an error summary so keyboard and screen-reader users hear what to fix.
  function focusErrors(root) {
    var summary = (root || document).querySelector(".error-summary");
    if (summary) summary.focus();
  }
  document.addEventListener("DOMContentLoaded", function () { focusErrors(document); });
  document.addEventListener("htmx:afterSwap", function (event) { focusErrors(event.detail.target); });

  // A swap that replaced the focused button (signing up, say) would leave keyboard focus on <body>:
  // move it to the new component's message, or to the component itself.
  var swappedId = null;
  document.addEventListener("htmx:beforeSwap", function (event) { swappedId = event.detail.target.id || null; });
  document.addEventListener("htmx:afterSettle", function () {
    var active = document.activeElement;
    if (!swappedId || (active && active !== document.body && document.contains(active))) return;
    var component = document.getElementById(swappedId);
    if (!component) return;
    var message = component.querySelector("[role=alert], [role=status], .flash, .tag");
    var landing = message || component;
    if (!landing.hasAttribute("tabindex")) landing.setAttribute("tabindex", "-1");
    landing.focus({ preventScroll: true });
  });
})();
