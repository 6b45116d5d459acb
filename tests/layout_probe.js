// The layout defects a reader sees, as a list of readable problems for the open page.
// Used by test_site_layout.py on the drawings of the page's charts, then again once
// every chart has been made live.
//
// - the page scrolls sideways (its width exceeds the window's);
// - a chart's SVG text ends with "…" (Vega's truncation of a label or title);
// - a chart's text lies outside its SVG (clipped: titles, axis titles, legends);
// - a chart shows the same legend twice (two legends with the same entries);
// - a table cell breaks a word across lines (its column is narrower than the word): a
//   run of letters and digits split between lines ("Preparedn" / "ess"); a line may end at
//   punctuation ("Sub-" / "Saharan", an address after "/" or before "?"), as in print.
() => {
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth) {
    problems.push(`the page scrolls sideways: ${root.scrollWidth} px wide in a ${root.clientWidth} px window`);
  }
  document.querySelectorAll(".aitrade-chart").forEach((chart) => {
    // The drawing shown at this width (a chart carries a wide and a narrow one until it
    // is live; the stylesheet hides one of them).
    const svg = [...chart.querySelectorAll("svg")].find((drawing) => drawing.getClientRects().length);
    if (!svg) {
      problems.push(`chart ${chart.id} has no drawing`);
      return;
    }
    const box = svg.getBoundingClientRect();
    svg.querySelectorAll("text").forEach((text) => {
      const content = text.textContent;
      if (content.endsWith("…")) {
        problems.push(`chart ${chart.id}: text cut off with an ellipsis: "${content}"`);
      }
      const r = text.getBoundingClientRect();
      if (r.width && (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1)) {
        problems.push(`chart ${chart.id}: text outside the drawing (clipped): "${content}"`);
      }
    });
    const legends = [...svg.querySelectorAll("g.role-legend")].map((legend) =>
      [...legend.querySelectorAll("g.role-legend-label text")].map((text) => text.textContent).join("|"));
    const repeated = legends.filter((entries, index) => legends.indexOf(entries) !== index);
    if (repeated.length) {
      problems.push(`chart ${chart.id}: the same legend twice: ${repeated[0]}`);
    }
  });
  const broken = new Set();
  document.querySelectorAll("main table").forEach((table) => {
    if (!table.offsetParent) {
      return;
    }
    const walker = document.createTreeWalker(table, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const pattern = /[\p{L}\p{N}]+/gu;
      let match;
      while ((match = pattern.exec(node.data))) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const tops = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
        if (tops.size > 1) {
          broken.add(`a table column is narrower than its word "${match[0]}" (broken over ${tops.size} lines)`);
        }
      }
    }
  });
  return problems.concat([...broken].slice(0, 8));
}
