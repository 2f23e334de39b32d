/* Suggest records to link (kegiatan, indikator) by their title as the user
   types; the option's value is the record's name, which the form stores.
   Event delegation: inputs added later by "Tambah" work without set-up. */
(function () {
  "use strict";
  var timer = null;
  document.addEventListener("input", function (event) {
    var input = event.target;
    var list = input.list;
    if (!list || !list.dataset.satudataLinks) return;
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = input.value.trim();
      if (q.length < 2) return;
      var url = list.dataset.url + "?limit=10&type=" + encodeURIComponent(list.dataset.satudataLinks) +
        "&q=" + encodeURIComponent(q);
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { result: [] }; })
        .then(function (body) {
          list.textContent = "";
          (body.result || []).forEach(function (record) {
            var option = document.createElement("option");
            option.value = record.name;
            option.label = record.title;
            list.appendChild(option);
          });
        })
        .catch(function () { /* suggestions are a convenience; typing the name still works */ });
    }, 200);
  });
})();
