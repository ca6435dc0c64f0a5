// djguard report: the filters. Everything else on the page is static HTML; this script only
// shows and hides findings. It runs under the page's Content-Security-Policy (its hash is in
// the policy), reads no data but the DOM, and writes only `hidden` and one counter.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) {
    return;
  }
  var findings = Array.prototype.slice.call(document.querySelectorAll(".finding"));
  var groups = Array.prototype.slice.call(document.querySelectorAll(".group"));
  var sites = Array.prototype.slice.call(document.querySelectorAll(".site"));
  var shown = document.getElementById("shown");
  var none = document.getElementById("none-shown");

  function apply() {
    var severities = {};
    Array.prototype.forEach.call(form.querySelectorAll("input[name=severity]"), function (box) {
      severities[box.value] = box.checked;
    });
    var rule = form.elements.rule.value;
    var path = form.elements.path.value.trim().toLowerCase();
    var count = 0;
    findings.forEach(function (el) {
      var keep = severities[el.getAttribute("data-severity")] === true &&
        (rule === "" || el.getAttribute("data-rule") === rule) &&
        (path === "" || el.getAttribute("data-path").toLowerCase().indexOf(path) !== -1);
      el.hidden = !keep;
      if (keep) {
        count += 1;
      }
    });
    groups.forEach(function (group) {
      group.hidden = group.querySelector(".finding:not([hidden])") === null;
    });
    // A site's card goes when its URL does not match, or when it has findings and none is
    // shown; a site without findings stays (its grade is worth seeing).
    sites.forEach(function (site) {
      var url = site.getAttribute("data-path").toLowerCase();
      var hasFindings = site.querySelector(".finding") !== null;
      site.hidden = (path !== "" && url.indexOf(path) === -1) ||
        (hasFindings && site.querySelector(".finding:not([hidden])") === null);
    });
    shown.textContent = String(count);
    if (none) {
      none.hidden = count !== 0 || findings.length === 0;
    }
  }

  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
  });
  form.addEventListener("reset", function () {
    window.setTimeout(apply, 0);
  });
  apply();
})();
