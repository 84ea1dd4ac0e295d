// The phone side of working offline: install the service worker, tell it whose pages to keep, forget
// everything at sign-out, and start a visit's notes without signal.
(function () {
  "use strict";
  var body = document.body;
  var NOTES_PREFIX = "walkthrough:";
  window.Walkthrough = window.Walkthrough || {};

  function tellWorker(message) {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.active) registration.active.postMessage(message);
    });
  }
  window.Walkthrough.keepOffline = function (url) { tellWorker({ type: "keep", url: url }); };

  function newKey() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  window.Walkthrough.newKey = newKey;

  // ---- what this phone still has to send -----------------------------------------------------------
  function unsentCount() {
    var count = 0;
    for (var i = 0; i < window.localStorage.length; i++) {
      var name = window.localStorage.key(i);
      if (name.indexOf(NOTES_PREFIX + "notes:") === 0) {
        try { count += (JSON.parse(window.localStorage.getItem(name)).pending || []).length; } catch (e) { /* unreadable */ }
      } else if (name === NOTES_PREFIX + "walk-queue") {
        try { count += (JSON.parse(window.localStorage.getItem(name)) || []).length; } catch (e) { /* unreadable */ }
      } else if (name === NOTES_PREFIX + "photos-waiting") {
        count += parseInt(window.localStorage.getItem(name) || "0", 10) || 0;
      }
    }
    return count;
  }

  function forgetThisPhone() {
    var names = [];
    for (var i = 0; i < window.localStorage.length; i++) names.push(window.localStorage.key(i));
    names.forEach(function (name) { if (name.indexOf(NOTES_PREFIX) === 0) window.localStorage.removeItem(name); });
    if (window.indexedDB) window.indexedDB.deleteDatabase("walkthrough");
    tellWorker({ type: "signed-out" });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.classList.contains("signout")) {
      var waiting = unsentCount();
      if (waiting && !window.confirm(waiting + (waiting === 1 ? " change hasn't" : " changes haven't") +
          " reached Walkthrough yet. Signing out deletes them from this phone. Sign out anyway?")) {
        event.preventDefault();
      }
      return;
    }
    if (form.dataset.offlineHref && navigator.onLine === false) {
      event.preventDefault();
      startOffline(form);
    }
  });

  // Without signal, "Start notes" opens a note kept on the phone; it reaches Walkthrough later, once.
  function startOffline(form) {
    var key = newKey();
    var draft = { startedAt: new Date().toISOString(), fields: {} };
    var host = form.querySelector("select[name=host_id]");
    if (host) {
      if (!host.value || host.value === "0") { host.focus(); return; }
      draft.fields.host_id = host.value;
      draft.hostName = host.options[host.selectedIndex].text.split(" · ")[0];
    }
    var focus = form.querySelector("[name=focus_question]");
    if (focus) draft.fields.focus_question = focus.value;
    var protocol = form.querySelector("select[name=protocol_id]");
    var href = form.dataset.offlineHref;
    if (protocol) {
      draft.fields.protocol_id = protocol.value;
      href = href.replace(/\/0$/, "/" + encodeURIComponent(protocol.value)); // the address names protocol 0
    }
    window.localStorage.setItem(NOTES_PREFIX + "draft:" + key, JSON.stringify(draft));
    window.location.assign(href + (href.indexOf("?") < 0 ? "?" : "&") + "key=" + key);
  }

  // ---- installing the worker -----------------------------------------------------------------------
  if (body.dataset.signedOut) forgetThisPhone();
  if ("serviceWorker" in navigator && body.dataset.serviceWorker) {
    navigator.serviceWorker.register(body.dataset.serviceWorker, { scope: "/" }).catch(function () {
      /* private windows and old browsers: everything works online */
    });
    if (body.dataset.offlinePerson) {
      tellWorker({ type: "person", person: body.dataset.offlinePerson });
      // A note opened now (started after the worker last looked) is kept too, so it reloads offline.
      var editor = document.getElementById("note-editor");
      if (editor && !editor.dataset.draft) tellWorker({ type: "keep", url: window.location.pathname });
    }
  }
})();
