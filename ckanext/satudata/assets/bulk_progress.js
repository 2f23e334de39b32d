/* The queue's bulk step with a progress display. With JavaScript the selected
   datasets go to satudata_workflow_bulk_transition in chunks (each dataset is
   still its own transaction, checked on its own by the server), and a progress
   bar counts them; the datasets not moved are listed with the server's reason.
   Without JavaScript the form posts as before and the page answers when all
   are done. Texts come translated from the page (data-text-*). */
(function () {
  "use strict";
  var CHUNK = 25;

  function format(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, key) { return key in values ? values[key] : all; });
  }

  function message(error) {
    if (!error) return "";
    if (typeof error === "string") return error;
    if (Array.isArray(error)) return error.map(message).join("; ");
    if (typeof error === "object") {
      return Object.keys(error).filter(function (k) { return k !== "__type"; })
        .map(function (k) { return message(error[k]); }).join("; ");
    }
    return String(error);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-satudata-bulk]") || !window.fetch) return;
    var box = form.querySelector("[data-satudata-bulk-progress]");
    var ids = Array.prototype.map.call(form.querySelectorAll('input[name="id"]:checked'),
                                       function (el) { return el.value; });
    var action = form.elements.action.value;
    if (!box || !ids.length || !action) return;  // the server says what is missing
    event.preventDefault();

    var bar = box.querySelector("progress"), count = box.querySelector("[data-satudata-bulk-count]");
    var list = box.querySelector("[data-satudata-bulk-failures]");
    var token = form.querySelector('input[type="hidden"][name*="csrf"]');
    var button = form.querySelector("[data-satudata-bulk-confirm]");
    var body = {action: action, comment: form.elements.comment.value};
    var done = 0, failed = [];
    button.disabled = true;
    box.hidden = false;
    bar.max = ids.length;
    bar.value = 0;
    count.textContent = format(box.dataset.textProgress, {done: 0, total: ids.length});

    function title(id) {
      var row = form.querySelector('input[name="id"][value="' + id + '"]');
      var link = row && row.closest("tr").querySelector(".satudata-queue-title a");
      return link ? link.textContent.trim() : id;
    }

    function finish(error) {
      var moved = done - failed.length;
      count.textContent = error ? box.dataset.textBroken + " " + error
        : format(box.dataset.textDone, {moved: moved, failed: failed.length});
      failed.forEach(function (r) {
        var item = document.createElement("li");
        item.setAttribute("data-satudata-bulk-error", r.id);
        item.textContent = title(r.id) + ": " + message(r.error);
        list.appendChild(item);
      });
      box.querySelector("[data-satudata-bulk-reload]").hidden = false;
    }

    function next(start) {
      if (start >= ids.length) return finish();
      var chunk = ids.slice(start, start + CHUNK);
      var headers = {"Content-Type": "application/json"};
      if (token) headers["X-CSRFToken"] = token.value;
      fetch(box.dataset.api, {method: "POST", credentials: "same-origin", headers: headers,
                              body: JSON.stringify(Object.assign({ids: chunk}, body))})
        .then(function (response) { return response.json(); })
        .then(function (answer) {
          if (!answer.success) throw new Error(message(answer.error));
          answer.result.forEach(function (r) { if (!r.ok) failed.push(r); });
          done += chunk.length;
          bar.value = done;
          count.textContent = format(box.dataset.textProgress, {done: done, total: ids.length});
          next(start + CHUNK);
        })
        .catch(function (error) { finish(error.message || String(error)); });
    }
    next(0);
  });
}());
