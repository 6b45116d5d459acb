// Makes the charts of a page live. Every chart arrives drawn as inline SVG (drawn when
// the book was built, aitrade.charts.drawing), so this script loads no Vega at first: it
// fetches the vendored Vega files (once per page) only when a reader points at, touches
// or focuses a chart, then draws that chart live in place of its drawing, with tooltips.
// Until then it only marks a chart whose drawing is wider than its column (it scrolls).
//
// A live chart fits its column at any width from 320 px up. A single or layered chart takes
// the column's width (Vega-Lite's "container" width; Vega redraws it on resize); where a
// legend or an axis title still spills past the drawing's edge, the chart is drawn again
// with that much padding, so nothing is clipped. A faceted
// or concatenated chart cannot do that: it is drawn, measured, and its views narrowed until
// it fits (never below MIN_VIEW px); if it still does not fit, its box scrolls sideways and
// a cue above it says so.
(function () {
  "use strict";
  var COMPOSITE = ["facet", "hconcat", "vconcat", "concat", "repeat"];
  var MIN_VIEW = 80;
  var CUE = "Scroll sideways to see the whole chart.";
  // The font of the drawings (aitrade.charts.drawing.FONT_STACK), so the live chart
  // looks as the drawing did.
  var FONT = "'aitrade Chart Sans', 'DejaVu Sans', sans-serif";
  var VEGA_FILES = ["vega.min.js", "vega-lite.min.js", "vega-embed.min.js"];
  var here = document.currentScript ? document.currentScript.src : "";
  var folder = here.slice(0, here.lastIndexOf("/") + 1);
  var vegaLoaded = null;

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = function () { reject(new Error("could not load " + src)); };
      document.head.appendChild(script);
    });
  }

  // The Vega files, in order (each needs the one before), fetched once.
  function loadVega() {
    if (!vegaLoaded) {
      vegaLoaded = VEGA_FILES.reduce(function (loaded, file) {
        return loaded.then(function () { return loadScript(folder + file); });
      }, Promise.resolve());
    }
    return vegaLoaded;
  }

  function isComposite(spec) {
    var encoding = spec.encoding || {};
    return COMPOSITE.some(function (key) { return key in spec; }) ||
      "row" in encoding || "column" in encoding || "facet" in encoding;
  }

  // A copy of ``spec`` whose numeric view widths are multiplied by ``factor``.
  function narrowed(spec, factor) {
    if (Array.isArray(spec)) {
      return spec.map(function (item) { return narrowed(item, factor); });
    }
    if (!spec || typeof spec !== "object") {
      return spec;
    }
    var copy = {};
    Object.keys(spec).forEach(function (key) {
      var value = spec[key];
      if (key === "width" && typeof value === "number") {
        copy[key] = Math.max(MIN_VIEW, Math.floor(value * factor));
      } else if (key === "datasets" || key === "data" || key === "usermeta") {
        copy[key] = value;
      } else {
        copy[key] = narrowed(value, factor);
      }
    });
    return copy;
  }

  // Legends under the chart stack one under the other, from its left edge, instead of
  // side by side (a row of legends is wider than a phone).
  function stackedLegends(vegaSpec) {
    vegaSpec.config = vegaSpec.config || {};
    vegaSpec.config.legend = Object.assign({}, vegaSpec.config.legend, {
      layout: { bottom: { direction: "vertical", anchor: "start" }, top: { direction: "vertical", anchor: "start" } }
    });
    return vegaSpec;
  }

  function embed(canvas, spec) {
    return vegaEmbed(canvas, spec, { renderer: "svg", actions: false, patch: stackedLegends });
  }

  // The drawing shown in ``canvas``: the live chart's, or the build-time drawing that the
  // stylesheet shows at this width (the other one has no box).
  function shownSvg(canvas) {
    return Array.prototype.find.call(canvas.querySelectorAll("svg"), function (svg) {
      return svg.getClientRects().length > 0;
    }) || null;
  }

  // How far the chart's text reaches past each edge of its drawing.
  function spill(canvas) {
    var svg = shownSvg(canvas);
    var reach = { left: 0, right: 0, top: 0, bottom: 0 };
    if (!svg) {
      return reach;
    }
    var box = svg.getBoundingClientRect();
    svg.querySelectorAll("text").forEach(function (text) {
      var r = text.getBoundingClientRect();
      if (r.width) {
        reach.left = Math.max(reach.left, box.left - r.left);
        reach.right = Math.max(reach.right, r.right - box.right);
        reach.top = Math.max(reach.top, box.top - r.top);
        reach.bottom = Math.max(reach.bottom, r.bottom - box.bottom);
      }
    });
    return reach;
  }

  // How much wider than its box the chart is, its spilling text included.
  function overflow(canvas) {
    var svg = shownSvg(canvas);
    if (!svg) {
      return 0;
    }
    var reach = spill(canvas);
    return svg.getBoundingClientRect().width + reach.left + reach.right - canvas.clientWidth;
  }

  // Draw a chart padded where its text spills past the drawing (again, up to ``attempts``
  // times, since a narrower plot moves its centred titles). A single or layered chart
  // whose plot would be narrower than MIN_VIEW px (its labels take the width) gets a fixed
  // plot width instead, and scrolls.
  function drawPadded(canvas, spec, attempts) {
    return embed(canvas, spec).then(function (result) {
      if (spec.width === "container" && result.view.width() < MIN_VIEW) {
        result.finalize();
        spec.width = 2 * MIN_VIEW;
        delete spec.autosize;
        return drawPadded(canvas, spec, attempts);
      }
      var reach = spill(canvas);
      var sides = ["top", "bottom", "left", "right"];
      if (attempts === 0 || sides.every(function (side) { return reach[side] <= 0.5; })) {
        return result;
      }
      result.finalize();
      var padding = spec.padding || { top: 5, bottom: 5, left: 5, right: 5 };
      // Twice the spill on the sides: a centred title moves by half of what the plot loses.
      sides.forEach(function (side) {
        padding[side] += Math.ceil(reach[side] * (side === "left" || side === "right" ? 2 : 1));
      });
      spec.padding = padding;
      return drawPadded(canvas, spec, attempts - 1);
    });
  }

  // Draw a composite chart, narrowing its views until it fits or cannot shrink further.
  function drawComposite(canvas, spec, attempts) {
    return embed(canvas, spec).then(function (result) {
      var extra = overflow(canvas);
      if (extra <= 1 || attempts === 0) {
        var reach = spill(canvas);
        if (Math.max(reach.top, reach.bottom, reach.left, reach.right) <= 0.5) {
          return result;
        }
        result.finalize();
        return drawPadded(canvas, spec, 3);
      }
      var width = canvas.clientWidth + extra;
      result.finalize();
      return drawComposite(canvas, narrowed(spec, (width - extra) / width), attempts - 1);
    });
  }

  function markScrolling(chart, canvas) {
    var scrolls = overflow(canvas) > 1;
    canvas.classList.toggle("aitrade-chart__canvas--scrolls", scrolls);
    var cue = chart.querySelector(".aitrade-chart__cue");
    if (scrolls && !cue) {
      cue = document.createElement("p");
      cue.className = "aitrade-chart__cue";
      cue.textContent = CUE;
      canvas.parentNode.insertBefore(cue, canvas);
    } else if (!scrolls && cue) {
      cue.remove();
    }
  }

  // Give the drawing its text description as accessible name.
  function label(canvas, text) {
    var svg = shownSvg(canvas);
    if (svg) {
      svg.setAttribute("role", "graphics-document");
      svg.setAttribute("aria-label", text);
    }
  }

  function draw(chart) {
    var specNode = chart.querySelector("script.aitrade-chart__spec");
    var canvas = chart.querySelector(".aitrade-chart__canvas");
    var drawings = Array.prototype.slice.call(canvas.childNodes);
    var spec = JSON.parse(specNode.textContent);
    var fallback = spec.description || "";
    var composite = isComposite(spec);
    spec.config = Object.assign({}, spec.config, { font: FONT });
    if (!composite) {
      spec.width = "container";
      spec.autosize = { type: "fit-x", contains: "padding" };
    }
    canvas.replaceChildren();
    var drawn = composite ? drawComposite(canvas, spec, 3) : drawPadded(canvas, spec, 3);
    return drawn
      .then(function (result) {
        label(canvas, spec.description || fallback);
        markScrolling(chart, canvas);
        if (composite) {
          var width = canvas.clientWidth;
          var redraw = null;
          window.addEventListener("resize", function () {
            clearTimeout(redraw);
            redraw = setTimeout(function () {
              if (canvas.clientWidth !== width) {
                width = canvas.clientWidth;
                result.finalize();
                drawComposite(canvas, spec, 3).then(function (next) {
                  result = next;
                  label(canvas, spec.description || fallback);
                  markScrolling(chart, canvas);
                });
              }
            }, 250);
          });
        }
        chart.classList.add("aitrade-chart--drawn");
      })
      .catch(function (error) {
        // The drawing stays: only its tooltips are missing.
        canvas.replaceChildren.apply(canvas, drawings);
        console.error("aitrade chart " + chart.id + ": the interactive chart could not be drawn:", error);
      });
  }

  // Draw ``chart`` live, once, after the Vega files have loaded.
  function makeLive(chart) {
    if (chart.classList.contains("aitrade-chart--live")) {
      return;
    }
    chart.classList.add("aitrade-chart--live");
    loadVega().then(function () { return draw(chart); }, function (error) {
      console.error("aitrade charts: " + error.message);
    });
  }

  var charts = Array.prototype.slice.call(document.querySelectorAll(".aitrade-chart"));
  function markDrawings() {
    charts.forEach(function (chart) {
      if (!chart.classList.contains("aitrade-chart--live")) {
        markScrolling(chart, chart.querySelector(".aitrade-chart__canvas"));
      }
    });
  }
  charts.forEach(function (chart) {
    var canvas = chart.querySelector(".aitrade-chart__canvas");
    ["pointerenter", "focusin"].forEach(function (event) {
      canvas.addEventListener(event, function () { makeLive(chart); }, { once: true });
    });
  });
  markDrawings();
  var remark = null;
  window.addEventListener("resize", function () {
    clearTimeout(remark);
    remark = setTimeout(markDrawings, 250);
  });
})();
