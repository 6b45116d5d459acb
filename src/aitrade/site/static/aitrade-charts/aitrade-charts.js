// Draws every chart that aitrade.charts wrote into the page, with the vendored Vega
// files loaded before this script (all deferred, so the DOM is parsed by now).
(function () {
  "use strict";
  function draw(chart) {
    var specNode = chart.querySelector("script.aitrade-chart__spec");
    var canvas = chart.querySelector(".aitrade-chart__canvas");
    var fallback = canvas.textContent;
    var spec = JSON.parse(specNode.textContent);
    canvas.replaceChildren();
    return vegaEmbed(canvas, spec, { renderer: "svg", actions: false })
      .then(function () {
        // Give the drawing its text description as accessible name.
        var svg = canvas.querySelector("svg");
        if (svg) {
          svg.setAttribute("role", "graphics-document");
          svg.setAttribute("aria-label", spec.description || fallback);
        }
        chart.classList.add("aitrade-chart--drawn");
      })
      .catch(function (error) {
        canvas.textContent = fallback + " (The interactive chart could not be drawn: " + error + ")";
        console.error("aitrade chart " + chart.id + ":", error);
      });
  }
  document.querySelectorAll(".aitrade-chart").forEach(draw);
})();
