/* Form pages: a page listed with data-satudata-only-if (a schema only_if
   condition, e.g. Blok V for SURVEI) shows in the list only while its
   condition holds, updated as the user changes the condition's field. */
(function () {
  "use strict";
  var tests = {
    equals: function (v, want) { return v.indexOf(String(want)) !== -1; },
    "in": function (v, want) { return want.some(function (w) { return v.indexOf(String(w)) !== -1; }); },
    contains: function (v, want) { return v.indexOf(String(want)) !== -1; },
    is_true: function (v, want) { return v.length > 0 && (v[0].toLowerCase() === "true") === Boolean(want); }
  };

  function values(form, name) {
    var found = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name !== name) return;
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) return;
      if (el.tagName === "SELECT") {
        Array.prototype.forEach.call(el.selectedOptions, function (o) { if (o.value) found.push(o.value); });
      } else if (el.value) {
        found.push(el.value);
      }
    });
    return found;
  }

  function update(form) {
    document.querySelectorAll("[data-satudata-only-if]").forEach(function (item) {
      var condition = JSON.parse(item.getAttribute("data-satudata-only-if"));
      if (!form.querySelector('[name="' + condition.field + '"]')) return;  // not on this page
      var v = values(form, condition.field);
      item.hidden = !Object.keys(tests).some(function (t) {
        return t in condition && tests[t](v, condition[t]);
      });
    });
  }

  document.addEventListener("change", function (event) {
    if (event.target.form) update(event.target.form);
  });
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("dataset-edit");
    if (form) update(form);
  });
}());
