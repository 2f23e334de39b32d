/* Suggest Kemendagri region codes as the user types in a kode wilayah input.
   Event delegation: inputs added later by "Tambah" work without set-up. */
(function () {
  "use strict";
  var timer = null;
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.list || input.list.id !== "satudata-wilayah-options") return;
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = input.value.trim();
      if (q.length < 2) return;
      // The page gives the action's URL (the portal may live under a path).
      var base = input.list.dataset.url || "/api/3/action/satudata_wilayah_search";
      var url = base + "?limit=10&q=" + encodeURIComponent(q);
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { result: [] }; })
        .then(function (body) {
          var list = input.list;
          list.textContent = "";
          (body.result || []).forEach(function (w) {
            var option = document.createElement("option");
            option.value = w.kode;
            option.label = w.kode + " — " + w.nama;
            list.appendChild(option);
          });
        })
        .catch(function () { /* suggestions are a convenience; typing still works */ });
    }, 200);
  });
})();
