// Recording classrooms on a walk, with or without signal. Each classroom is put in a queue on the phone
// (localStorage) the moment it is saved, then sent; it leaves the queue only once the server has it. The
// server takes each classroom once, by the key the phone gave it, so a resend after a lost answer is safe.
(function () {
  "use strict";
  var form = document.getElementById("walk-capture");
  if (!form) return;
  var QUEUE = "walkthrough:walk-queue";
  var status = document.getElementById("capture-status");
  var csrfToken = JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
  var recorded = parseInt(status.dataset.recorded || "0", 10);
  var sending = false;
  var retryDelay = 2000;
  var retryTimer = null;

  function readQueue() {
    try { return JSON.parse(window.localStorage.getItem(QUEUE)) || []; } catch (e) { return []; }
  }
  function writeQueue(queue) {
    try { window.localStorage.setItem(QUEUE, JSON.stringify(queue)); } catch (e) { /* private mode: sent at once */ }
  }
  function waitingHere() {
    return readQueue().filter(function (item) { return item.url === form.action; }).length;
  }

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }
  function show(message) {
    var waiting = waitingHere();
    var parts = [];
    if (message) parts.push(message);
    if (recorded) parts.push("You have recorded " + plural(recorded, "classroom") + " on this walk.");
    if (waiting) {
      parts.push(plural(waiting, "classroom") + (waiting === 1 ? " is" : " are") +
        " saved on this phone and will be sent when there is signal.");
    }
    status.textContent = parts.join(" ");
  }

  function localDay() {
    var now = new Date();
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return now.getFullYear() + "-" + two(now.getMonth() + 1) + "-" + two(now.getDate());
  }

  function fieldsOf() {
    var fields = {};
    new FormData(form).forEach(function (value, name) { if (name !== "csrf_token") fields[name] = value; });
    fields.visited_on = localDay();
    return fields;
  }

  function anyMarked() {
    return !!form.querySelector("input[type=radio]:checked");
  }

  function clearForm() {
    form.reset(); // back to what the page came with: nothing marked, no tally, no evidence
    form.querySelector("[name=client_key]").value = window.Walkthrough.newKey();
    window.scrollTo(0, 0);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!anyMarked()) {
      show("Mark at least one look-for before saving the classroom.");
      var first = form.querySelector("input[type=radio]");
      if (first) first.focus();
      return;
    }
    var queue = readQueue();
    queue.push({ url: form.action, fields: fieldsOf() });
    writeQueue(queue);
    clearForm();
    show(navigator.onLine === false ? "Saved on this phone." : "Saving…");
    send();
  });

  function send() {
    if (sending) return;
    var queue = readQueue();
    var next = queue.filter(function (item) { return item.url === form.action; })[0];
    if (!next) { show(""); return; }
    if (navigator.onLine === false) { show("No signal."); return; } // the "online" event sends them
    sending = true;
    window.fetch(next.url, {
      method: "POST", credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrfToken },
      body: new URLSearchParams(next.fields)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { status: response.status, data: data };
      });
    }).then(function (answer) {
      sending = false;
      if (answer.status >= 500 || answer.status === 0 || answer.status === 400 || answer.status === 403) {
        throw new Error("HTTP " + answer.status);
      }
      var key = next.fields.client_key;
      writeQueue(readQueue().filter(function (item) { return item.fields.client_key !== key; }));
      retryDelay = 2000;
      if (answer.status === 422) {
        show("One classroom wasn't saved: " + (answer.data.error || "Walkthrough refused it."));
        return;
      }
      if (answer.data.recorded) recorded = answer.data.recorded;
      show("Saved.");
      send();
    }).catch(function () {
      sending = false;
      show("Saved on this phone.");
      window.clearTimeout(retryTimer);
      retryTimer = window.setTimeout(send, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 30000);
    });
  }

  window.addEventListener("online", function () { retryDelay = 2000; send(); });
  if (window.Walkthrough && window.Walkthrough.keepOffline) window.Walkthrough.keepOffline(window.location.pathname);
  send();
})();
