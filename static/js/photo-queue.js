// Photos in the note editor wait on the phone (IndexedDB) and upload one at a time, oldest first, when
// there is signal. Each carries a key made when it was taken, so an upload retried after a lost answer
// adds the photo once. Photos are made smaller on the phone first: a class photo doesn't need 12 MB.
(function () {
  "use strict";
  var editor = document.getElementById("note-editor");
  if (!editor || !window.indexedDB) return;
  var csrfToken = JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
  var LONG_EDGE = 2048; // what the server keeps; larger photos only cost the phone's data
  var statusEl = document.getElementById("photos-waiting");
  var uploading = false, retryTimer = null, retryDelay = 2000;

  function noteName() {
    var params = new URLSearchParams(window.location.search);
    return editor.dataset.draft ? "draft:" + params.get("key") : "note:" + editor.dataset.observation;
  }
  var note = noteName();

  // ---- the queue -------------------------------------------------------------------------------
  function database() {
    return new Promise(function (resolve, reject) {
      var request = window.indexedDB.open("walkthrough", 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore("photos", { keyPath: "seq", autoIncrement: true });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }
  function store(mode, work) {
    return database().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction("photos", mode);
        var result = work(tx.objectStore("photos"));
        tx.oncomplete = function () { db.close(); resolve(result && "result" in result ? result.result : result); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    });
  }
  function everything() { return store("readonly", function (photos) { return photos.getAll(); }); }
  function mine() {
    return everything().then(function (all) {
      window.localStorage.setItem("walkthrough:photos-waiting", String(all.length));
      return all.filter(belongsHere);
    });
  }

  function belongsHere(item) {
    if (item.note === note) return true;
    // Taken in a note started offline, now opened at its own address.
    if (item.note.indexOf("draft:") !== 0 || editor.dataset.draft) return false;
    try {
      var started = JSON.parse(window.localStorage.getItem("walkthrough:" + item.note));
      return Boolean(started && started.created && String(started.created.id) === editor.dataset.observation);
    } catch (e) { return false; }
  }

  // ---- taking a photo ------------------------------------------------------------------------------
  function inMemory(file) {
    // A photo picked from a file is read now: the file may change or vanish before there is signal.
    return file.arrayBuffer().then(function (bytes) { return new Blob([bytes], { type: file.type }); });
  }
  function smaller(file) {
    if (!window.createImageBitmap) return inMemory(file);
    return window.createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, LONG_EDGE / Math.max(bitmap.width, bitmap.height));
      if (scale === 1 && file.type === "image/jpeg") return inMemory(file);
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) { resolve(blob || inMemory(file)); }, "image/jpeg", 0.85);
      });
    }).catch(function () { return inMemory(file); }); // a format the phone can't draw (HEIC): the server converts it
  }

  editor.addEventListener("submit", function (event) {
    var form = event.target.closest(".photo-form");
    if (!form) return;
    event.preventDefault();
    var input = form.querySelector("input[type=file]");
    if (!input.files.length) { input.focus(); return; }
    var caption = form.querySelector("input[name=caption]").value;
    smaller(input.files[0]).then(function (blob) {
      var item = { note: note, field: form.dataset.field, caption: caption, blob: blob,
                   key: window.Walkthrough.newKey(), takenAt: Date.now() };
      return store("readwrite", function (photos) { photos.add(item); });
    }).then(function () {
      form.reset();
      return show();
    }).then(pump);
  });

  // ---- sending ---------------------------------------------------------------------------------------
  function uploadUrl() { return editor.dataset.photosUrl || ""; }

  function pump() {
    if (uploading || !uploadUrl() || navigator.onLine === false) return show(); // "online" resumes
    return mine().then(function (waiting) {
      if (!waiting.length) return;
      uploading = true;
      var item = waiting[0];
      var body = new FormData();
      body.append("csrf_token", csrfToken);
      body.append("field_key", item.field);
      body.append("caption", item.caption);
      body.append("client_key", item.key);
      body.append("photo", item.blob, "photo.jpg");
      return window.fetch(uploadUrl(), {
        method: "POST", body: body, credentials: "same-origin",
        headers: { "HX-Request": "true", "X-CSRFToken": csrfToken }
      }).then(function (response) {
        // 422: the server read the photo and refused it, with a reason the fragment shows; retrying won't help.
        if (!response.ok && response.status !== 422) throw new Error("HTTP " + response.status);
        return response.text().then(function (html) {
          return store("readwrite", function (photos) { photos.delete(item.seq); }).then(function () {
            swap(item.field, html);
          });
        });
      }).then(function () {
        uploading = false;
        retryDelay = 2000;
        return show().then(pump);
      });
    }).catch(function () {
      uploading = false;
      window.clearTimeout(retryTimer);
      retryTimer = window.setTimeout(pump, retryDelay = Math.min(retryDelay * 2, 60000));
      return show();
    });
  }

  function swap(field, html) {
    var target = document.getElementById("photos-" + field);
    if (!target) return;
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    var fresh = holder.firstElementChild;
    target.replaceWith(fresh);
    if (window.htmx) window.htmx.process(fresh);
  }

  // ---- what the person sees --------------------------------------------------------------------------
  function show() {
    return mine().then(function (waiting) {
      editor.querySelectorAll("[data-waiting-for]").forEach(function (list) {
        list.querySelectorAll("img").forEach(function (img) { URL.revokeObjectURL(img.src); });
        list.innerHTML = "";
        waiting.filter(function (item) { return item.field === list.dataset.waitingFor; }).forEach(function (item) {
          var li = document.createElement("li");
          var img = document.createElement("img");
          img.src = URL.createObjectURL(item.blob);
          img.alt = (item.caption || "Photo") + " (waiting to upload)";
          img.width = 160;
          li.appendChild(img);
          list.appendChild(li);
        });
        list.hidden = !list.children.length;
      });
      if (statusEl) {
        statusEl.hidden = !waiting.length;
        statusEl.textContent = waiting.length === 1 ? "1 photo waiting to upload"
                                                    : waiting.length + " photos waiting to upload";
      }
    });
  }

  editor.addEventListener("walkthrough:note-created", function () { pump(); });
  window.addEventListener("online", function () { retryDelay = 2000; pump(); });
  show().then(pump);
})();
