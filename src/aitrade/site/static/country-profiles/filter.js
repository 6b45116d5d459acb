/* Country profiles index: filter the table by region and income group.
 *
 * Loaded only by book/country-profiles/index (a deferred script in the page body).
 * Without JavaScript the controls stay hidden and every row shows. Each row carries
 * data-region and data-income; an empty choice keeps every value. The live count
 * (aria-live="polite") says how many rows show, and the table's caption follows it.
 */
(function () {
  "use strict";

  function setUp() {
    var controls = document.getElementById("country-profiles-filter");
    var table = document.getElementById("country-profiles-table");
    var count = document.getElementById("country-profiles-count");
    var region = document.getElementById("country-profiles-region");
    var income = document.getElementById("country-profiles-income");
    var reset = document.getElementById("country-profiles-reset");
    var captionCount = document.getElementById("country-profiles-caption-count");
    if (!controls || !table || !count || !region || !income || !reset) {
      return;
    }
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);

    function apply() {
      var shown = 0;
      rows.forEach(function (row) {
        var keep = (!region.value || row.dataset.region === region.value) &&
          (!income.value || row.dataset.income === income.value);
        row.hidden = !keep;
        if (keep) {
          shown += 1;
        }
      });
      count.textContent = "Showing " + shown + " of " + rows.length + " economies";
      if (captionCount) {
        captionCount.textContent = shown === rows.length ? rows.length + " profiles"
          : shown + " of " + rows.length + " profiles (filtered)";
      }
    }

    region.addEventListener("change", apply);
    income.addEventListener("change", apply);
    reset.addEventListener("click", function () {
      region.value = "";
      income.value = "";
      apply();
    });
    controls.hidden = false;
    apply();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
