/* Parallax report: the coverage matrix and the evidence, drawn from the embedded JSON.
   Every value from the data reaches the page through textContent or setAttribute on a fixed attribute name,
   never as HTML. Claims are shown a page at a time so thousands of claims × 100 outlets stay responsive. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var app = document.getElementById("matrix-app");
  var data = JSON.parse(document.getElementById("parallax-data").textContent);
  var outlets = data.outlets, claims = data.claims, passages = data.passages, loose = data.loose, rtl = data.rtl;
  var STATUS = {
    I: {name: "included", mark: "\u2713"}, P: {name: "partial", mark: "\u2248"},
    O: {name: "omitted", mark: "\u2717"}, U: {name: "unknown", mark: "?"}
  };
  var STATUS_ORDER = {I: 0, P: 1, O: 2, U: 3};
  var state = {text: "", outlet: -1, status: "", numbers: false, minOutlets: 0,
               sort: {key: "n", outlet: -1, dir: -1}, page: 0, open: {}};
  var view = [], haystacks = null, looseHaystacks = null, looseHits = [], collator = new Intl.Collator("en");

  function el(tag, attributes) {
    var node = document.createElement(tag);
    if (attributes) {
      for (var name in attributes) {
        var value = attributes[name];
        if (value === null || value === undefined || value === false) continue;
        if (name === "text") node.textContent = value;
        else if (name === "class") node.className = value;
        else node.setAttribute(name, value);
      }
    }
    for (var i = 2; i < arguments.length; i++) {
      if (arguments[i] !== null && arguments[i] !== undefined) node.append(arguments[i]);
    }
    return node;
  }

  /* --- controls --- */

  var search = el("input", {type: "search", id: "f-text", placeholder: "Words in a claim or passage",
                            "aria-label": "Search claims and passages"});
  /* Each control's name holds the words its label shows (WCAG 2.5.3), so a speech user who says "Show claims
     where" or "has" reaches it; a label's words alone ("has") would not say what is chosen. */
  var outletSelect = el("select", {id: "f-outlet", "aria-label": "Show claims where outlet"},
    el("option", {value: "-1", text: "any outlet"}));
  var statusSelect = el("select", {id: "f-status", "aria-label": "has status"},
    el("option", {value: "", text: "any status"}), el("option", {value: "IP", text: "carries it (\u2713 or \u2248)"}));
  ["I", "P", "O", "U"].forEach(function (code) {
    statusSelect.append(el("option", {value: code, text: STATUS[code].mark + " " + STATUS[code].name}));
  });
  var minInput = el("input", {type: "number", id: "f-min", min: "0", max: String(outlets.length), value: "0",
                              "aria-label": "Carried by at least this many outlets"});
  var numbersBox = el("input", {type: "checkbox", id: "f-numbers"});
  var sortSelect = el("select", {id: "f-sort", "aria-label": "Sort by"},
    el("option", {value: "n:-1", text: "most outlets first"}),
    el("option", {value: "n:1", text: "fewest outlets first"}),
    el("option", {value: "text:1", text: "claim text A\u2013Z"}),
    el("option", {value: "numbers:-1", text: "differing numbers first"}));
  var byOutlet = el("optgroup", {label: "status at outlet (\u2713 first)"});
  outlets.forEach(function (outlet, index) {
    outletSelect.append(el("option", {value: String(index), lang: outlet.l || null, text: outlet.name}));
    byOutlet.append(el("option", {value: "outlet:1:" + index, lang: outlet.l || null, text: outlet.name}));
  });
  sortSelect.append(byOutlet);
  /* A column head clicked twice sorts the other way, which no fixed option names: this one says it. */
  var reversed = el("option");
  var reset = el("button", {type: "button", id: "f-reset", text: "Clear filters"});
  var controls = el("form", {class: "controls", role: "search", "aria-label": "Filter and sort claims"},
    el("label", null, "Search ", search),
    el("label", null, "Show claims where ", outletSelect), el("label", null, " has ", statusSelect),
    el("label", null, "Carried by at least ", minInput, " outlets"),
    el("label", {class: "check"}, numbersBox, " only differing numbers"),
    el("label", null, "Sort ", sortSelect), reset);
  controls.addEventListener("submit", function (event) { event.preventDefault(); });

  var countLine = el("p", {class: "count", id: "matrix-count", "aria-live": "polite"});
  /* A column head shows as much of an outlet's name as fits, and a phone has no hover to show the rest in a
     title: the head focused, or the outlet sorted by (a tap does both), is named here in full. */
  var columnNote = el("p", {class: "column-note", id: "matrix-column"});
  var table = el("table", {class: "matrix", id: "matrix-table"});
  var headRow = el("tr");
  var claimHead = el("th", {scope: "col", class: "claim-col"},
    el("button", {type: "button", "data-sort": "text", text: "Claim (English)"}));
  var countHead = el("th", {scope: "col", class: "n-col"},
    el("button", {type: "button", "data-sort": "n", text: "Outlets",
                  title: "Number of outlets that include the claim"}));
  headRow.append(claimHead, countHead);
  var outletHeads = outlets.map(function (outlet, index) {
    var head = el("th", {scope: "col", class: "outlet-col"},
      el("button", {type: "button", "data-sort": "outlet", "data-outlet": String(index),
                    title: outlet.name + " (" + outlet.lang + "): sort by its status",
                    "aria-label": "Sort by status at " + outlet.name},
        outletName(index)));
    headRow.append(head);
    return head;
  });
  var tbody = el("tbody");
  table.append(el("thead", null, headRow), tbody);
  /* Paper cannot scroll sideways. Up to this many outlets, columns narrow enough to share an A4 page still hold
     a mark; more print as a list, each claim followed by every outlet's mark and name (report.css, @media print). */
  var PRINT_GRID_OUTLETS = 20;
  table.classList.toggle("print-as-list", outlets.length > PRINT_GRID_OUTLETS);
  var pager = el("nav", {class: "pager", "aria-label": "Pages of claims"});
  var first = el("button", {type: "button", "data-page": "first", text: "\u00ab First"});
  var prev = el("button", {type: "button", "data-page": "prev", text: "\u2039 Previous"});
  var pageLabel = el("span", {class: "page-label"});
  var next = el("button", {type: "button", "data-page": "next", text: "Next \u203a"});
  var last = el("button", {type: "button", "data-page": "last", text: "Last \u00bb"});
  pager.append(first, prev, pageLabel, next, last);
  var wrap = el("div", {class: "matrix-wrap", tabindex: "0", role: "region", "aria-label": "Coverage matrix"},
    table);
  var looseBox = el("section", {id: "loose-passages", "aria-labelledby": "loose-h", hidden: ""});
  app.replaceChildren(controls, countLine, columnNote, wrap, pager, looseBox);

  /* --- filtering and sorting --- */

  /* "17 000" typed with a space finds "17\u00a0000" as French and Russian write it: every space is one space. */
  function folded(text) {
    return text.toLowerCase().replace(/\s+/g, " ");
  }

  function haystack(index) {
    if (!haystacks) {
      haystacks = claims.map(function (claim) {
        var words = [claim.t];
        claim.e.forEach(function (entry) {
          var passage = passages[entry[3]];
          words.push(passage[2], passage[3] || "");
        });
        return words.map(folded).join("\n");
      });
    }
    return haystacks[index];
  }

  function matches(index) {
    var claim = claims[index];
    if (claim.n < state.minOutlets) return false;
    if (state.numbers && !claim.d) return false;
    if (state.status) {
      if (state.outlet >= 0) {
        if (state.status.indexOf(claim.c.charAt(state.outlet)) < 0) return false;
      } else {
        var found = false;
        for (var i = 0; i < state.status.length && !found; i++) found = claim.c.indexOf(state.status.charAt(i)) >= 0;
        if (!found) return false;
      }
    }
    return !state.text || haystack(index).indexOf(state.text) >= 0;
  }

  function compare(a, b) {
    var sort = state.sort, x = claims[a], y = claims[b], result = 0;
    if (sort.key === "n") result = x.n - y.n;
    else if (sort.key === "text") result = collator.compare(x.t, y.t);
    else if (sort.key === "numbers") result = (x.d ? 1 : 0) - (y.d ? 1 : 0);
    else if (sort.key === "outlet") {
      result = STATUS_ORDER[x.c.charAt(sort.outlet)] - STATUS_ORDER[y.c.charAt(sort.outlet)];
    }
    return result * sort.dir || a - b;
  }

  /* Passages in no claim (chiefly untranslated ones) match the words searched for, and the outlet if one is
     chosen; the other filters are about claims. */
  function findLoose() {
    looseHits = [];
    if (!state.text) return;
    if (!looseHaystacks) {
      looseHaystacks = loose.map(function (index) {
        return folded(passages[index][2] + "\n" + (passages[index][3] || ""));
      });
    }
    loose.forEach(function (index, position) {
      var outletMatches = state.outlet < 0 || passages[index][0] === state.outlet;
      if (outletMatches && looseHaystacks[position].indexOf(state.text) >= 0) looseHits.push(index);
    });
  }

  function update() {
    view = [];
    for (var i = 0; i < claims.length; i++) if (matches(i)) view.push(i);
    view.sort(compare);
    state.page = 0;
    findLoose();
    renderLoose();
    render();
  }

  /* --- drawing --- */

  function statusCell(claim, outletIndex) {
    var code = claim.c.charAt(outletIndex), status = STATUS[code];
    var label = outlets[outletIndex].name + ": " + status.name;
    return el("td", {class: "cell s-" + code, title: label, "aria-label": label, "data-name": outlets[outletIndex].name,
                     text: status.mark});
  }

  function claimRow(index) {
    var claim = claims[index], isOpen = !!state.open[claim.id];
    var toggle = el("button", {type: "button", class: "claim-toggle", "aria-expanded": String(isOpen),
                               "aria-controls": "ev-" + claim.id, "data-index": String(index)},
      el("span", {class: "chevron", "aria-hidden": "true", text: isOpen ? "\u25be" : "\u25b8"}),
      el("span", {class: "claim-text", text: claim.t}));
    /* A screen reader said "number sign": the flag is named in words instead. */
    if (claim.d) {
      toggle.append(el("span", {class: "num-flag", title: "numbers differ between outlets", "aria-hidden": "true",
                                text: "#"}), el("span", {class: "visually-hidden", text: " (numbers differ)"}));
    }
    var head = el("th", {scope: "row", class: "claim-col"}, toggle);
    var row = el("tr", {"data-claim": claim.id}, head,
      el("td", {class: "n-col"}, String(claim.n), el("span", {class: "of-all", text: "/" + outlets.length})));
    for (var o = 0; o < outlets.length; o++) row.append(statusCell(claim, o));
    return row;
  }

  var DIGIT = /\p{Nd}/u, GROUPING = /[.,\u00a0\u202f]/;

  /* Where `needle` (a number as written, or a phrase starting with one) stands on its own: "19" in "2019", or
     "300" in "1,300", is part of another number. */
  function findNumber(text, needle) {
    for (var at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
      var end = at + needle.length, before = text.charAt(at - 1), after = text.charAt(end);
      var gluedBefore = DIGIT.test(before) || (GROUPING.test(before) && DIGIT.test(text.charAt(at - 2)));
      var gluedAfter = DIGIT.test(needle.charAt(needle.length - 1)) &&
        (DIGIT.test(after) || (GROUPING.test(after) && DIGIT.test(text.charAt(end + 1))));
      if (!gluedBefore && !gluedAfter) return at;
    }
    return -1;
  }

  /* A number as written is as the original has it ("1,5 millones"), or "" where it is not found there. */
  function highlighted(text, needles) {
    var spans = [];
    needles.forEach(function (needle) {
      var at = needle ? findNumber(text, needle) : -1;
      if (at >= 0) spans.push([at, at + needle.length]);
    });
    spans.sort(function (a, b) { return a[0] - b[0]; });
    var box = document.createDocumentFragment(), done = 0;
    spans.forEach(function (span) {
      if (span[0] < done) return;
      box.append(text.slice(done, span[0]), el("mark", {text: text.slice(span[0], span[1])}));
      done = span[1];
    });
    box.append(text.slice(done));
    return box;
  }

  /* What would get a language translated, as the translate stage advises it (the setting to change, when one
     forces an engine that cannot), its command set apart. */
  function notTranslated(language) {
    var advice = data.advice[language || "?"] || "", command = /parallax models install \S+/.exec(advice);
    var line = el("p", null, "Not translated" + (advice ? ": " : "."));
    if (!command) {
      line.append(advice);
      return line;
    }
    line.append(advice.slice(0, command.index), el("code", {text: command[0]}),
      advice.slice(command.index + command[0].length));
    return line;
  }

  function passageBlock(passageIndex, marks) {
    var passage = passages[passageIndex], language = passage[1] || "", english = passage[3];
    var mark = marks[passageIndex] || {original: [], english: []};
    var original = el("div", {class: "original"},
      el("p", {class: "label", text: "Original" + (language ? " (" + language + ")" : "")}),
      el("p", {class: "passage", lang: language || null, dir: rtl.indexOf(language) >= 0 ? "rtl" : "auto"},
        highlighted(passage[2], mark.original)));
    /* passage[6]: its article was removed from its address, or edited since (report.py _article_note). */
    var flag = passage[6] ? el("p", {class: "article-flag wide", role: "note", text: "Article " + passage[6]})
                          : null;
    if (language === "en" && english === passage[2]) {
      original.classList.add("wide");
      return el("div", {class: "pair"}, flag, original);
    }
    var translation = english === null
      ? el("div", {class: "english missing"}, el("p", {class: "label", text: "English"}), notTranslated(language))
      : el("div", {class: "english"},
          el("p", {class: "label"}, "English ",
            el("span", {class: "engine", text: passage[4] + (passage[5] ? " \u00b7 " + passage[5] : "")})),
          el("p", {class: "passage", lang: "en", dir: "ltr"}, highlighted(english, mark.english)));
    return el("div", {class: "pair"}, flag, original, translation);
  }

  /* What the coverage's score means depends on the evidence behind it (coverage.evidence in the dataset). */
  function support(code, kind, score) {
    if (kind === "piece") return "tells the whole sentence this claim is a piece of";
    if (kind === "further") return "a further passage of this outlet in the claim";
    if (score === null) return code === "I" ? "no other translated passage to match" : "no match score";
    if (kind === "anchors") return "names and numbers match, score " + score.toFixed(1);
    if (kind === "containment") return "holds " + score.toFixed(0) + "% of the claim\u2019s keywords";
    /* A text match's score is its contrast: how far its similarity rises above what unrelated passages score. */
    return "text matches, " + score.toFixed(1) + " points above unrelated passages";
  }

  function evidence(claim) {
    var box = el("div", {class: "evidence", id: "ev-" + claim.id, role: "region",
                         "aria-label": "Evidence: " + claim.t});
    box.append(el("p", {class: "evidence-claim", text: claim.t}));
    var marks = {};
    (claim.d || []).forEach(function (difference) {
      var byValue = {};
      difference.r.forEach(function (reading) {
        /* As the page lists it (report.py): a range as a range, a unit when the outlets' units differ. */
        (byValue[reading[5]] = byValue[reading[5]] || []).push(reading[0]);
        var mark = marks[reading[4]] = marks[reading[4]] || {original: [], english: []};
        mark.original.push(reading[2]);
        mark.english.push(reading[3]);
      });
      var list = el("ul");
      var mostCommonFirst = Object.keys(byValue).sort(function (a, b) {
        return byValue[b].length - byValue[a].length;
      });
      mostCommonFirst.forEach(function (value) {
        list.append(el("li", null, el("strong", {text: value}), " \u2014 ",
                       nameList(byValue[value])));
      });
      box.append(el("div", {class: "numbers-differ", role: "note"},
        el("p", null, el("span", {class: "num-flag", "aria-hidden": "true", text: "#"}), " Numbers differ (" + difference.q + "):"), list));
    });
    var list = el("div", {class: "evidence-list"});
    claim.e.forEach(function (entry) {
      var code = entry[1];
      list.append(el("article", {class: "evidence-item"},
        el("header", null,
          el("span", {class: "badge s-" + code, text: STATUS[code].mark + " " + STATUS[code].name}), " ",
          el("strong", null, outletName(entry[0])), " ",
          el("span", {class: "muted", text: support(code, entry[4], entry[2])})),
        passageBlock(entry[3], marks)));
    });
    box.append(list);
    var omitted = [], unknown = [];
    for (var o = 0; o < outlets.length; o++) {
      if (claim.c.charAt(o) === "O") omitted.push(o);
      if (claim.c.charAt(o) === "U") unknown.push(o);
    }
    if (omitted.length) {
      box.append(el("p", {class: "absent"}, el("span", {class: "badge s-O", text: "\u2717 omitted"}),
        " by ", nameList(omitted), ": their translated text has no passage for this claim."));
    }
    if (unknown.length) {
      box.append(el("p", {class: "absent"}, el("span", {class: "badge s-U", text: "? unknown"}),
        " for ", nameList(unknown, true), ": not translated, so Parallax cannot tell (not the same as omitted)."));
    }
    return box;
  }

  // Each name isolated: two right-to-left names side by side would otherwise read in reverse order ("B ,A").
  function nameList(outletIndices, withLanguages) {
    var span = el("span");
    outletIndices.forEach(function (outletIndex, position) {
      if (position) span.append(", ");
      span.append(outletName(outletIndex));
      if (withLanguages) span.append(" (" + outlets[outletIndex].lang + ")");
    });
    return span;
  }

  /* An outlet's name, isolated, in the outlet's language when all its articles share one (report.py): a Japanese
     name is drawn in Japanese glyphs, not Chinese ones, and an Arabic one leaves the punctuation beside it alone. */
  function outletName(outletIndex) {
    var language = outlets[outletIndex].l;
    return el("bdi", {lang: language || null, dir: rtl.indexOf(language) >= 0 ? "rtl" : null,
                      text: outlets[outletIndex].name});
  }

  function renderLoose() {
    looseBox.hidden = !looseHits.length;
    if (!looseHits.length) {
      looseBox.replaceChildren();
      return;
    }
    var shown = looseHits.slice(0, data.pageSize), list = el("div", {class: "evidence-list"});
    shown.forEach(function (index) {
      var outlet = outlets[passages[index][0]];
      list.append(el("article", {class: "evidence-item"},
        el("header", null, el("strong", null, outletName(passages[index][0])), " ",
          el("span", {class: "muted", text: "(" + outlet.lang + ")"})),
        passageBlock(index, {})));
    });
    looseBox.replaceChildren(
      el("h3", {id: "loose-h", text: "Passages in no claim that match (" +
        looseHits.length.toLocaleString("en-US") + ")"}),
      el("p", {class: "muted", text: "An untranslated passage joins no claim: it is shown here, in its original " +
        "language, when it holds the words searched for."}),
      list);
    if (looseHits.length > shown.length) {
      looseBox.append(el("p", {class: "muted", text: "The first " + shown.length.toLocaleString("en-US") +
        " are shown: add words to the search to narrow it."}));
    }
  }

  function evidenceRow(index) {
    var cell = el("td", {colspan: String(outlets.length + 2)}, evidence(claims[index]));
    return el("tr", {class: "evidence-row"}, cell);
  }

  /* An open evidence row spans the table but must not widen it: it is as wide as the visible part. */
  function fitEvidence() {
    wrap.style.setProperty("--evidence-width", Math.min(wrap.clientWidth, table.offsetWidth) - 2 + "px");
  }

  function render() {
    var size = data.pageSize, pages = Math.max(1, Math.ceil(view.length / size));
    state.page = Math.min(Math.max(state.page, 0), pages - 1);
    var start = state.page * size, end = Math.min(view.length, start + size);
    var body = el("tbody");
    for (var i = start; i < end; i++) {
      body.append(claimRow(view[i]));
      if (state.open[claims[view[i]].id]) body.append(evidenceRow(view[i]));
    }
    table.replaceChild(body, tbody);
    tbody = body;
    table.hidden = !view.length;
    fitEvidence();
    countLine.textContent = view.length
      ? "Showing claims " + (start + 1).toLocaleString("en-US") + "\u2013" + end.toLocaleString("en-US") + " of " +
        view.length.toLocaleString("en-US") + (view.length < claims.length ? " matching (" +
        claims.length.toLocaleString("en-US") + " in all)" : "")
      : "No claim matches these filters (" + claims.length.toLocaleString("en-US") + " in all).";
    if (looseHits.length) {
      countLine.append(" ", el("a", {href: "#loose-passages", text: looseHits.length.toLocaleString("en-US") +
        " passage(s) in no claim match the search"}), ".");
    }
    pageLabel.textContent = "Page " + (state.page + 1) + " of " + pages;
    first.disabled = prev.disabled = state.page === 0;
    next.disabled = last.disabled = state.page >= pages - 1;
    pager.hidden = pages === 1;
    var sort = state.sort;
    claimHead.setAttribute("aria-sort", sort.key === "text" ? (sort.dir > 0 ? "ascending" : "descending") : "none");
    countHead.setAttribute("aria-sort", sort.key === "n" ? (sort.dir > 0 ? "ascending" : "descending") : "none");
    outletHeads.forEach(function (head, index) {
      var active = sort.key === "outlet" && sort.outlet === index;
      head.setAttribute("aria-sort", active ? (sort.dir > 0 ? "ascending" : "descending") : "none");
    });
    noteSort();
    var value = sort.key + ":" + sort.dir + (sort.key === "outlet" ? ":" + sort.outlet : "");
    reversed.remove();
    if (!Array.prototype.some.call(sortSelect.options, function (option) { return option.value === value; })) {
      reversed.value = value;
      reversed.textContent = sort.key === "text" ? "claim text Z\u2013A"
        : "status at " + outlets[sort.outlet].name + " (? first)";
      sortSelect.append(reversed);
    }
    sortSelect.value = value;
  }

  function outletLabel(index) {
    return el("span", null, outletName(index), " (" + outlets[index].lang + ")");
  }

  function noteSort() {
    var sort = state.sort;
    columnNote.hidden = sort.key !== "outlet";
    if (sort.key === "outlet") {
      columnNote.replaceChildren("Sorted by the status at ", outletLabel(sort.outlet), ", " +
        (sort.dir > 0 ? "\u2713 included" : "? unknown") + " first.");
    }
  }

  /* --- events --- */

  var typing = 0;
  search.addEventListener("input", function () {
    clearTimeout(typing);
    typing = setTimeout(function () { state.text = folded(search.value.trim()); update(); }, 150);
  });
  outletSelect.addEventListener("change", function () { state.outlet = Number(outletSelect.value); update(); });
  statusSelect.addEventListener("change", function () { state.status = statusSelect.value; update(); });
  minInput.addEventListener("input", function () {
    state.minOutlets = Math.max(0, Number(minInput.value) || 0);
    update();
  });
  numbersBox.addEventListener("change", function () { state.numbers = numbersBox.checked; update(); });
  sortSelect.addEventListener("change", function () {
    var parts = sortSelect.value.split(":");
    state.sort = {key: parts[0], dir: Number(parts[1]), outlet: parts.length > 2 ? Number(parts[2]) : -1};
    update();
  });
  reset.addEventListener("click", function () {
    controls.reset();
    state.text = ""; state.outlet = -1; state.status = ""; state.numbers = false; state.minOutlets = 0;
    state.sort = {key: "n", outlet: -1, dir: -1};
    update();
  });
  headRow.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-sort]");
    if (!button) return;
    var key = button.getAttribute("data-sort");
    var outlet = key === "outlet" ? Number(button.getAttribute("data-outlet")) : -1;
    var same = state.sort.key === key && state.sort.outlet === outlet;
    state.sort = {key: key, outlet: outlet, dir: same ? -state.sort.dir : (key === "n" ? -1 : 1)};
    update();
  });
  headRow.addEventListener("focusin", function (event) {
    var button = event.target.closest("button[data-outlet]");
    if (!button) return;
    columnNote.hidden = false;
    columnNote.replaceChildren(outletLabel(Number(button.getAttribute("data-outlet"))), ": sort by its status.");
  });
  headRow.addEventListener("focusout", noteSort);
  /* The skip link lands on the first claim itself, not on the filters above it. */
  var skipLink = document.querySelector("a.skip-link");
  if (skipLink) {
    skipLink.addEventListener("click", function (event) {
      var firstClaim = table.hidden ? null : tbody.querySelector("button.claim-toggle");
      if (!firstClaim) return;
      event.preventDefault();
      firstClaim.focus();
    });
  }
  table.addEventListener("click", function (event) {
    var button = event.target.closest("button.claim-toggle");
    if (!button) return;
    var index = Number(button.getAttribute("data-index")), claim = claims[index], row = button.closest("tr");
    if (state.open[claim.id]) {
      delete state.open[claim.id];
      if (row.nextSibling && row.nextSibling.classList.contains("evidence-row")) row.nextSibling.remove();
    } else {
      state.open[claim.id] = true;
      row.after(evidenceRow(index));
    }
    button.setAttribute("aria-expanded", String(!!state.open[claim.id]));
    button.firstChild.textContent = state.open[claim.id] ? "\u25be" : "\u25b8";
  });
  /* Escape closes the evidence that has the focus, or whose claim has it, and leaves the focus on the claim. */
  table.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var row = event.target.closest("tr");
    if (row && row.classList.contains("evidence-row")) row = row.previousSibling;
    var button = row && row.querySelector("button.claim-toggle[aria-expanded=true]");
    if (!button) return;
    button.click();
    button.focus();
  });
  pager.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-page]");
    if (!button) return;
    var move = button.getAttribute("data-page");
    state.page = move === "first" ? 0 : move === "prev" ? state.page - 1 : move === "next" ? state.page + 1 : Infinity;
    render();
    app.scrollIntoView({block: "start"});
    /* On the first or last page the button pressed is disabled, which drops the focus to the page's start: it
       moves to the step back the other way instead. */
    if (button.disabled) (button === next || button === last ? prev : next).focus({preventScroll: true});
  });
  /* The cue to swipe the sharing chart, and the chart's stop in the Tab order, are there only while the chart is
     wider than its box (a phone, report.css). */
  var chart = document.querySelector(".chart-scroll"), chartCue = document.querySelector(".scroll-cue");
  function cueChart() {
    if (!chart || !chartCue) return;
    var needed = chart.scrollWidth > chart.clientWidth + 1;
    chartCue.classList.toggle("needed", needed);
    if (needed) chart.setAttribute("tabindex", "0");
    else chart.removeAttribute("tabindex");
  }
  window.addEventListener("resize", function () { fitEvidence(); cueChart(); });
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (details) { details.open = true; });
  });

  update();
  cueChart();
})();
