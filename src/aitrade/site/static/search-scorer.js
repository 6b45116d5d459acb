// Search ranking of the handbook (Sphinx's html_search_scorer): Sphinx's default weights,
// and the generated country profiles after every other page. A term such as "ITA" appears
// on each of the 167 profiles; the chapters that treat it come first.
var Scorer = {
  score: function (result) {
    var docname = result[0];
    var score = result[4];
    var profile = docname.indexOf("book/country-profiles/") === 0 && docname !== "book/country-profiles/index";
    return profile ? score - 1000 : score;
  },
  objNameMatch: 11,
  objPartialMatch: 6,
  objPrio: { 0: 15, 1: 5, 2: -5 },
  objPrioDefault: 0,
  title: 15,
  partialTitle: 7,
  term: 5,
  partialTerm: 2
};
