// Composer enhancement: drop or paste an image into the message to upload it at once.
// Without this script the form's "Upload image" button does the same with a page reload.
(function () {
  "use strict";
  var form = document.querySelector("form.composer[data-upload-url]");
  if (!form || !window.fetch || !window.FormData) return;
  var textarea = form.querySelector("textarea[name=body]");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]");
  if (!textarea || !token) return;
  var status = document.createElement("p");
  status.setAttribute("role", "status");
  status.className = "muted";
  textarea.insertAdjacentElement("afterend", status);

  function insert(text) {
    var start = textarea.selectionStart || textarea.value.length;
    var before = textarea.value.slice(0, start);
    var after = textarea.value.slice(start);
    var gap = before && !/\n$/.test(before) ? "\n\n" : "";
    textarea.value = before + gap + text + "\n" + after;
    textarea.focus();
  }

  function upload(file) {
    if (!file || !/^image\//.test(file.type)) return;
    var data = new FormData();
    data.append("image", file);
    status.textContent = form.dataset.uploadingText || "…";
    fetch(form.dataset.uploadUrl, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token.value },
    })
      .then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      })
      .then(function (result) {
        if (result.ok) {
          insert(result.body.markdown);
          status.textContent = "";
        } else {
          status.textContent = result.body.error || "";
        }
      })
      .catch(function () { status.textContent = ""; });
  }

  textarea.addEventListener("dragover", function (event) {
    event.preventDefault();
    form.classList.add("is-dragging");
  });
  textarea.addEventListener("dragleave", function () { form.classList.remove("is-dragging"); });
  textarea.addEventListener("drop", function (event) {
    event.preventDefault();
    form.classList.remove("is-dragging");
    Array.prototype.forEach.call(event.dataTransfer.files || [], upload);
  });
  textarea.addEventListener("paste", function (event) {
    var items = (event.clipboardData && event.clipboardData.files) || [];
    Array.prototype.forEach.call(items, upload);
  });
})();
