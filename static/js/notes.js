// The note editor: autosave within a second, keep working offline, sync in order when the network
// returns. Every change carries an idempotency key, so a retry never applies twice; text changes
// carry the text they were based on, so the server can merge edits made on two devices.
(function () {
  "use strict";
  var editor = document.getElementById("note-editor");
  if (!editor) return;

  var changesUrl = editor.dataset.changesUrl;
  var csrfToken = JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
  // A draft is a note started on this phone, maybe offline: it is kept under the key the phone made
  // until Walkthrough creates it (once, whatever retries it takes), then under its number like any note.
  var draft = editor.dataset.draft ? openDraft() : null;
  var startedAt = draft ? new Date(draft.startedAt).getTime() : new Date(editor.dataset.startedAt).getTime();
  var storageKey = draft && !draft.created ? "walkthrough:notes:draft:" + draft.key
                                           : "walkthrough:notes:" + (draft ? draft.created.id : editor.dataset.observation);
  if (draft && draft.created) useCreatedNote(draft.created);
  var statusEl = document.getElementById("save-status");
  // diff-match-patch lays queued typing over the server's merged text. It is half the editor's
  // script weight, so it loads on the first keystroke (or at once when offline typing is waiting);
  // until then the server merges on its own, as it does for any stale edit.
  var dmp = null;
  var mergerRequested = false;
  function loadMerger() {
    if (mergerRequested) return;
    mergerRequested = true;
    var sources = (editor.dataset.mergerScripts || "").split(" ").filter(Boolean);
    (function next() {
      if (!sources.length) {
        if (window.diff_match_patch) dmp = new window.diff_match_patch();
        return;
      }
      var script = document.createElement("script");
      script.src = sources.shift();
      script.onload = next;
      document.head.appendChild(script);
    })();
  }
  var state = readStore() || { pending: [], confirmed: {}, lastSaved: null };
  var inFlight = null, flushTimer = null, retryDelay = 1000, offline = false;

  function readStore() {
    try { return JSON.parse(window.localStorage.getItem(storageKey)); } catch (e) { return null; }
  }
  function writeStore() {
    try { window.localStorage.setItem(storageKey, JSON.stringify(state)); } catch (e) { /* private mode */ }
  }
  function newKey() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  function clock(ms) {
    // The server's way of writing a time ("3:39 pm"), so the page, its emails and its PDFs agree.
    var time = new Date(ms), hours = time.getHours();
    return ((hours + 11) % 12 + 1) + ":" + ("0" + time.getMinutes()).slice(-2) + (hours < 12 ? " am" : " pm");
  }
  function textareaFor(slot) {
    return editor.querySelector('textarea[data-slot="' + slot.replace(/"/g, "") + '"]');
  }
  function unsent(op, slot) {
    return state.pending.filter(function (p) { return !p.sent && p.op === op && p.slot === slot; })[0];
  }

  // ---- status line -------------------------------------------------------------------------
  function showStatus() {
    if (draft && draft.refused) {
      statusEl.textContent = "Not sent: " + draft.refused;
      statusEl.className = "note-bar__status note-bar__status--offline";
    } else if (offline) {
      statusEl.textContent = "Offline — kept on this phone";
      statusEl.className = "note-bar__status note-bar__status--offline";
    } else if (draft && !draft.created) {
      statusEl.textContent = "Kept on this phone";
      statusEl.className = "note-bar__status";
    } else if (state.pending.length) {
      statusEl.textContent = "Saving…";
      statusEl.className = "note-bar__status";
    } else {
      statusEl.textContent = state.lastSaved ? "Saved " + clock(state.lastSaved) : "All changes saved";
      statusEl.className = "note-bar__status note-bar__status--saved";
    }
  }

  // ---- queueing changes --------------------------------------------------------------------
  function confirmedText(slot) {
    return state.confirmed[slot] || { revision: 0, text: "" };
  }
  function queueText(slot, value) {
    var op = unsent("text", slot);
    if (op) {
      op.value = value;
    } else {
      // Text already sent but not yet answered (the signal went) is what the server will have first:
      // the new change builds on it, or the server would merge the same words in twice.
      var sentBefore = state.pending.filter(function (p) { return p.sent && p.op === "text" && p.slot === slot; }).pop();
      var base = sentBefore ? { text: sentBefore.value, revision: sentBefore.base_revision + 1 } : confirmedText(slot);
      state.pending.push({ key: newKey(), op: "text", slot: slot, value: value,
                           base: base.text, base_revision: base.revision });
    }
    changed(900);
  }
  function queueSet(slot, value) {
    var op = unsent("set", slot);
    if (op) op.value = value;
    else state.pending.push({ key: newKey(), op: "set", slot: slot, value: value });
    changed(200);
  }
  function queue(change, delay) {
    change.key = newKey();
    state.pending.push(change);
    changed(delay);
  }
  function changed(delay) {
    writeStore();
    showStatus();
    window.clearTimeout(flushTimer);
    flushTimer = window.setTimeout(flush, delay);
  }

  // ---- notes started on the phone ----------------------------------------------------------------
  function openDraft() {
    var params = new URLSearchParams(window.location.search);
    var key = params.get("key");
    if (!/^[0-9a-f]{32}$/.test(key || "")) {
      // Opened from the offline list: the phone names the note now and keeps the name in the address.
      key = newKey();
      params.set("key", key);
      window.history.replaceState(null, "", window.location.pathname + "?" + params.toString());
    }
    var stored = null;
    try { stored = JSON.parse(window.localStorage.getItem("walkthrough:draft:" + key)); } catch (e) { /* none */ }
    var found = stored || { startedAt: new Date().toISOString(), fields: {} };
    found.key = key;
    window.localStorage.setItem("walkthrough:draft:" + key, JSON.stringify(found));
    showDraft(found);
    return found;
  }
  function saveDraft() { window.localStorage.setItem("walkthrough:draft:" + draft.key, JSON.stringify(draft)); }
  function showDraft(found) {
    var heading = document.getElementById("draft-heading");
    if (found.hostName) {
      heading.textContent = "Visit to " + found.hostName;
      document.title = "Notes: visit to " + found.hostName + " · Walkthrough";
    }
    var focus = found.fields && found.fields.focus_question;
    if (focus) {
      var pin = document.getElementById("draft-focus");
      pin.querySelector("span").textContent = focus;
      pin.hidden = false;
      editor.querySelectorAll(".focus-question").forEach(function (p) { p.textContent = focus; });
    }
    document.getElementById("draft-started").textContent = clock(new Date(found.startedAt).getTime());
  }
  var creating = false;
  function createDraft() {
    if (creating || draft.refused) { showStatus(); return; }
    creating = true;
    var payload = { client_key: draft.key, started_at: draft.startedAt };
    var fixed = JSON.parse(editor.dataset.startFields || "{}");
    [fixed, draft.fields || {}].forEach(function (source) {
      Object.keys(source).forEach(function (k) { payload[k] = source[k]; });
    });
    window.fetch(editor.dataset.startUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken },
      body: JSON.stringify(payload)
    }).then(function (response) {
      if (response.status === 400 || response.status === 422) {
        return response.json().then(function (data) { draft.refused = data.error || "Walkthrough refused this note."; });
      }
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json().then(function (addresses) {
        draft.created = addresses;
        var draftStore = storageKey;
        storageKey = "walkthrough:notes:" + addresses.id;
        writeStore();
        window.localStorage.removeItem(draftStore);
        useCreatedNote(addresses);
      });
    }).then(function () {
      creating = false;
      offline = false;
      saveDraft();
      showStatus();
      if (draft.created) flush();
    }).catch(function () {
      creating = false;
      offline = true;
      showStatus();
      window.clearTimeout(flushTimer);
      flushTimer = window.setTimeout(flush, retryDelay = Math.min(retryDelay * 2, 30000));
    });
  }
  function useCreatedNote(addresses) {
    changesUrl = addresses.changes_url;
    editor.dataset.observation = String(addresses.id);
    editor.dataset.photosUrl = addresses.photos_url;
    var finish = document.getElementById("draft-finish");
    if (finish) {
      finish.className = "form-actions";
      finish.innerHTML = "";
      var link = document.createElement("a");
      link.className = "button button--wide";
      link.href = addresses.editor_url + "/finish";
      link.textContent = "Finish: reflect and share";
      finish.appendChild(link);
    }
    if (window.Walkthrough && window.Walkthrough.keepOffline) window.Walkthrough.keepOffline(addresses.editor_url);
    editor.dispatchEvent(new CustomEvent("walkthrough:note-created", { detail: addresses }));
  }

  // ---- talking to the server ---------------------------------------------------------------
  function wireFormat(op) {
    var copy = {};
    Object.keys(op).forEach(function (k) { if (k !== "sent") copy[k] = op[k]; });
    return copy;
  }
  function flush() {
    if (navigator.onLine === false) { offline = true; showStatus(); return; } // the "online" event resumes
    if (draft && !draft.created) { createDraft(); return; }
    if (inFlight || !state.pending.length) { showStatus(); return; }
    var batch = state.pending.slice(0, 100);
    batch.forEach(function (op) { op.sent = true; }); // never merge new typing into a change the server may hold
    inFlight = batch;
    writeStore();
    window.fetch(changesUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken },
      body: JSON.stringify({ changes: batch.map(wireFormat) })
    }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    }).then(function (data) {
      inFlight = null;
      offline = false;
      retryDelay = 1000;
      settle(batch, data.results || []);
      state.lastSaved = Date.now();
      writeStore();
      if (state.pending.length) flush(); else showStatus();
    }).catch(function () {
      inFlight = null;
      offline = true;
      showStatus();
      retryDelay = Math.min(retryDelay * 2, 30000);
      window.clearTimeout(flushTimer);
      flushTimer = window.setTimeout(flush, retryDelay);
    });
  }

  function settle(batch, results) {
    var byKey = {};
    results.forEach(function (r) { if (r && r.key) byKey[r.key] = r; });
    var sentKeys = batch.map(function (op) { return op.key; });
    state.pending = state.pending.filter(function (op) { return sentKeys.indexOf(op.key) < 0; });
    batch.forEach(function (op) {
      var result = byKey[op.key] || {};
      if (result.error) { console.warn("Walkthrough refused a change:", result.error); return; }
      if (op.op === "text" && typeof result.value === "string") rebase(op, result.value, result.revision);
      if (op.op === "increment" && typeof result.value === "string") showTally(op.slot, result.value);
    });
  }

  // The server's text may hold another device's words: lay any typing still queued on top of it.
  function rebase(sentOp, serverText, revision) {
    var slot = sentOp.slot;
    state.confirmed[slot] = { revision: revision, text: serverText };
    var area = textareaFor(slot);
    var waiting = unsent("text", slot);
    if (waiting && dmp) {
      var before = waiting.value;
      waiting.value = dmp.patch_apply(dmp.patch_make(sentOp.value, waiting.value), serverText)[0];
      waiting.base = serverText;
      waiting.base_revision = revision;
      if (area && area.value === before) replaceText(area, waiting.value);
    } else if (area && area.value === sentOp.value && serverText !== sentOp.value) {
      replaceText(area, serverText);
    }
  }
  function replaceText(area, text) {
    var focused = document.activeElement === area;
    var fromEnd = area.value.length - area.selectionEnd;
    area.value = text;
    if (focused) {
      var at = Math.max(text.length - fromEnd, 0);
      area.setSelectionRange(at, at);
    }
    nudge(area);
  }

  // ---- evidence entries, look-fors, tallies ------------------------------------------------
  function addEvidenceRow(field, entryId, recordedAt) {
    var list = editor.querySelector('.evidence-log[data-field="' + field + '"]');
    var row = document.getElementById("evidence-template").content.firstElementChild.cloneNode(true);
    row.dataset.entry = entryId;
    var stamp = row.querySelector(".evidence-entry__stamp");
    var minute = Math.max(Math.floor((recordedAt - startedAt) / 60000), 0);
    stamp.id = "stamp-" + entryId;
    stamp.textContent = clock(recordedAt) + " · minute " + minute;
    var area = row.querySelector("textarea");
    area.id = "slot-evidence-" + entryId;
    area.dataset.slot = "evidence:" + entryId;
    area.setAttribute("aria-describedby", stamp.id);
    row.querySelector("label").setAttribute("for", area.id);
    list.appendChild(row);
    return area;
  }
  function showTally(slot, serverValue) {
    var button = editor.querySelector('.tally[data-slot="' + slot + '"]');
    if (!button) return;
    var queued = state.pending.filter(function (p) { return p.op === "increment" && p.slot === slot; }).length;
    button.querySelector(".tally__count").textContent = String(parseInt(serverValue || "0", 10) + queued);
  }

  function nudge(area) {
    if (window.Walkthrough && window.Walkthrough.nudge) window.Walkthrough.nudge(area);
  }

  // ---- wiring ------------------------------------------------------------------------------
  editor.addEventListener("input", function (event) {
    var area = event.target;
    loadMerger();
    if (area.tagName === "TEXTAREA" && area.dataset.slot) queueText(area.dataset.slot, area.value);
  });
  editor.addEventListener("change", function (event) {
    var input = event.target;
    if (input.type === "radio" && input.dataset.slot) queueSet(input.dataset.slot, input.value);
  });
  editor.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) return;
    if (button.classList.contains("add-evidence")) {
      var entryId = newKey(), now = Date.now();
      state.confirmed["evidence:" + entryId] = { revision: 0, text: "" };
      queue({ op: "add_evidence", field: button.dataset.field, entry: entryId, recorded_at: now }, 100);
      addEvidenceRow(button.dataset.field, entryId, now).focus();
    } else if (button.classList.contains("remove-evidence")) {
      var row = button.closest(".evidence-entry");
      if (!window.confirm("Remove this evidence entry?")) return;
      queue({ op: "remove_evidence", entry: row.dataset.entry }, 100);
      row.remove();
    } else if (button.classList.contains("tally")) {
      queue({ op: "increment", slot: button.dataset.slot, by: 1 }, 300);
      var count = button.querySelector(".tally__count");
      count.textContent = String(parseInt(count.textContent, 10) + 1);
    }
  });

  function restore() {
    // Text the server already has is the starting point, unless this phone holds newer typing.
    editor.querySelectorAll("textarea[data-slot]").forEach(function (area) {
      var slot = area.dataset.slot, revision = parseInt(area.dataset.revision || "0", 10);
      if (!slot) return;
      var known = state.confirmed[slot];
      if (!known || revision >= known.revision) state.confirmed[slot] = { revision: revision, text: area.value };
    });
    state.pending.forEach(function (op) {
      if (op.op === "add_evidence" && !editor.querySelector('[data-entry="' + op.entry + '"]')) {
        addEvidenceRow(op.field, op.entry, op.recorded_at);
      } else if (op.op === "remove_evidence") {
        var row = editor.querySelector('[data-entry="' + op.entry + '"]');
        if (row) row.remove();
      } else if (op.op === "set") {
        var radio = editor.querySelector('input[data-slot="' + op.slot + '"][value="' + op.value + '"]');
        if (radio) radio.checked = true;
      }
    });
    state.pending.forEach(function (op) {
      var area = op.op === "text" && textareaFor(op.slot);
      if (area) area.value = op.value;
    });
    editor.querySelectorAll(".tally").forEach(function (b) {
      showTally(b.dataset.slot, b.querySelector(".tally__count").textContent);
    });
    editor.querySelectorAll("textarea[data-slot]").forEach(nudge);
  }

  // A finished note's timer shows how long the visit took, and stops.
  var finishedAt = editor.dataset.finishedAt ? new Date(editor.dataset.finishedAt).getTime() : null;
  function tick() {
    var seconds = Math.max(Math.floor(((finishedAt || Date.now()) - startedAt) / 1000), 0);
    var h = Math.floor(seconds / 3600), m = Math.floor(seconds / 60) % 60, s = seconds % 60;
    document.getElementById("visit-timer").textContent =
      (h ? h + ":" + ("0" + m).slice(-2) : m) + ":" + ("0" + s).slice(-2);
  }

  window.addEventListener("online", function () { offline = false; retryDelay = 1000; flush(); });
  window.addEventListener("offline", function () { offline = true; showStatus(); });
  document.addEventListener("visibilitychange", function () { if (document.hidden) { writeStore(); flush(); } });
  restore();
  if (state.pending.some(function (op) { return op.op === "text"; })) loadMerger();
  tick();
  if (!finishedAt) window.setInterval(tick, 1000);
  showStatus();
  flush();
})();
