/* The annotate page: turn a selection in the text into offsets, fill the forms,
   show what a highlight stands for.

   Offsets count Unicode code points, as the server does (Python str indices);
   JavaScript strings count UTF-16 units. Every piece of the rendered text carries
   its start offset in data-start, so a selection boundary is that offset plus the
   code points before it inside its piece. The server checks the result again
   before saving anything. */
"use strict";

// Loaded in the page's head with the admin's scripts: wait for the text.
document.addEventListener("DOMContentLoaded", function () {
  // Highlight and swatch colours come as data-hl and data-hl2, set here as the CSS
  // variables the stylesheet reads: the Content-Security-Policy allows no style attribute.
  for (const element of document.querySelectorAll("[data-hl]")) {
    element.style.setProperty("--hl", element.dataset.hl);
    if (element.dataset.hl2) {
      element.style.setProperty("--hl2", element.dataset.hl2);
    }
  }
  const root = document.getElementById("content-main");
  const article = document.getElementById("annotate-text");
  if (!root || !article || !root.classList.contains("annotate")) {
    return;
  }
  const anchors = JSON.parse(document.getElementById("annotate-anchors").textContent);
  const contextLength = Number(root.dataset.contextLength);
  const pieces = Array.from(article.querySelectorAll("[data-start]"));
  const starts = pieces.map((piece) => Number(piece.dataset.start));
  // The stored text as code points, rebuilt from the pieces (line breaks included).
  const chars = pieces.flatMap((piece) => Array.from(piece.textContent));
  const panel = document.getElementById("annotate-selection");
  const status = document.getElementById("annotate-selected");
  const tip = document.getElementById("annotate-tip");
  let current = null;

  function codePoints(text) {
    return Array.from(text).length;
  }

  // Selection → offsets

  function offsetAt(container, offset) {
    if (container.nodeType === Node.TEXT_NODE) {
      const piece = container.parentElement.closest("[data-start]");
      if (!piece || !article.contains(piece)) {
        return null;
      }
      return Number(piece.dataset.start) + codePoints(container.data.slice(0, offset));
    }
    if (container !== article && !article.contains(container)) {
      return null;
    }
    // A boundary between elements: the start of the first piece after it.
    const boundary = document.createRange();
    boundary.setStart(container, offset);
    const next = pieces.find((piece) => boundary.comparePoint(piece, 0) >= 0);
    return next ? Number(next.dataset.start) : chars.length;
  }

  function isSpace(character) {
    return /\s/u.test(character);
  }

  function readSelection() {
    const selection = window.getSelection();
    if (!selection.rangeCount || selection.isCollapsed) {
      return null;
    }
    const range = selection.getRangeAt(0);
    let start = offsetAt(range.startContainer, range.startOffset);
    let end = offsetAt(range.endContainer, range.endOffset);
    if (start === null || end === null) {
      return null;
    }
    while (start < end && isSpace(chars[start])) start += 1;
    while (end > start && isSpace(chars[end - 1])) end -= 1;
    if (end <= start) {
      return null;
    }
    return {
      start: start,
      end: end,
      exact: chars.slice(start, end).join(""),
      prefix: chars.slice(Math.max(0, start - contextLength), start).join(""),
      suffix: chars.slice(end, end + contextLength).join(""),
    };
  }

  // Offsets → a DOM range (for "Find and select")

  function pieceIndexAt(offset) {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (starts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  function pointAt(offset, isEnd) {
    let index = pieceIndexAt(isEnd ? offset - 1 : offset);
    const step = isEnd ? -1 : 1;
    while (pieces[index].hidden && pieces[index + step]) index += step;
    const piece = pieces[index];
    const text = piece.firstChild;
    const inside = Math.min(Math.max(offset - starts[index], 0), codePoints(text.data));
    return [text, Array.from(text.data).slice(0, inside).join("").length];
  }

  function selectOffsets(start, end) {
    const range = document.createRange();
    range.setStart(...pointAt(start, false));
    range.setEnd(...pointAt(end, true));
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    range.startContainer.parentElement.scrollIntoView({ block: "center" });
  }

  // The same look-alike characters as sources.anchoring.fold, and case.
  const LOOKALIKES = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200a": " ",
    "\u2002": " ", "\u2003": " ", "\u2010": "-", "\u2011": "-", "\u2012": "-",
    "\u2013": "-", "\u2014": "-", "\u2212": "-",
  };
  function fold(character) {
    return (LOOKALIKES[character] || character).toLowerCase();
  }
  const folded = chars.map(fold);
  let lastFound = -1;

  function find(query) {
    const needle = Array.from(query.trim()).map(fold);
    if (!needle.length) return null;
    for (let round = 0; round < 2; round += 1) {
      const from = round === 0 ? lastFound + 1 : 0;
      for (let at = from; at + needle.length <= folded.length; at += 1) {
        if (needle.every((character, i) => folded[at + i] === character)) {
          lastFound = at;
          return [at, at + needle.length];
        }
      }
    }
    return null;
  }

  // The panel

  function shorten(text, length) {
    const points = Array.from(text);
    return points.length > length ? points.slice(0, length - 1).join("") + "…" : text;
  }

  function say(message) {
    if (status) status.textContent = message;
  }

  function showSelection() {
    if (current) {
      say(`Selected “${shorten(current.exact, 160)}” (characters ${current.start}–${current.end}).`);
    }
    if (panel) panel.classList.toggle("has-selection", Boolean(current));
  }

  function formFor(name) {
    return document.getElementById(`annotate-form-${name}`);
  }

  function setField(form, name, value) {
    const field = form.elements[`${form.dataset.form}-${name}`];
    if (field) field.value = value;
  }

  function closeForms() {
    document.querySelectorAll(".annotate-form").forEach((form) => {
      form.hidden = true;
    });
    if (panel) panel.classList.remove("is-active");
  }

  function dismiss() {
    closeForms();
    current = null;
    window.getSelection().removeAllRanges();
    say("Nothing selected.");
    showSelection();
  }

  function openForm(name, quoteKey, label) {
    const form = formFor(name);
    if (!form) return;
    if (!current) {
      say("Select some words of the text first (or use Find and select).");
      return;
    }
    closeForms();
    for (const key of ["exact", "start", "end", "prefix", "suffix"]) {
      setField(form, key, current[key]);
    }
    setField(form, "content_hash", root.dataset.hash);
    if (quoteKey) {
      setField(form, "quote", quoteKey);
      form.querySelector("[data-role=target]").textContent = `“${label}”`;
    }
    showQuote(form.querySelector("[data-role=quote]"), current);
    form.querySelector("[data-role=offsets]").textContent =
      `Characters ${current.start}–${current.end}`;
    form.querySelectorAll(".errornote, .errorlist").forEach((node) => node.remove());
    const claimText = form.elements[`${name}-text`];
    if (claimText && (!claimText.value || claimText.dataset.filled === claimText.value)) {
      claimText.value = current.exact;
      claimText.dataset.filled = current.exact;
    }
    if (name === "claim") suggestSpeakers(form, current);
    form.hidden = false;
    panel.classList.add("is-active");
    const first = form.querySelector("input:not([type=hidden]), select, textarea");
    if (first) first.focus();
  }

  // The quote in bold, with the text stored around it on either side.
  function showQuote(box, selection) {
    const quote = document.createElement("strong");
    quote.textContent = selection.exact;
    box.replaceChildren(`…${selection.prefix}`, quote, `${selection.suffix}…`);
  }

  function suggestSpeakers(form, selection) {
    const box = form.querySelector("[data-role=suggestions]");
    const select = form.elements[`${form.dataset.form}-speaker`];
    if (!box || !select) return;
    box.textContent = "";
    const url = `${root.dataset.suggestUrl}?start=${selection.start}&end=${selection.end}`;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : { results: [] }))
      .then((data) => {
        if (!data.results.length || current !== selection) return;
        const intro = document.createElement("span");
        intro.textContent = "Named in the sentence:";
        box.append(intro);
        for (const speaker of data.results) {
          const button = document.createElement("button");
          button.type = "button";
          button.className = "button";
          button.textContent = speaker.text;
          button.title = `Matched “${speaker.matched}”`;
          button.addEventListener("click", () => {
            if (!select.querySelector(`option[value="${speaker.id}"]`)) {
              select.append(new Option(speaker.text, speaker.id));
            }
            select.value = String(speaker.id);
            // The autocomplete widget (select2) listens for change.
            select.dispatchEvent(new Event("change", { bubbles: true }));
          });
          box.append(button);
        }
      })
      .catch(() => {});
  }

  // Highlights: what they stand for, and where they lead

  function describe(mark) {
    tip.textContent = "";
    for (const key of mark.dataset.anchors.split(" ")) {
      const anchor = anchors[key];
      if (!anchor) continue;
      const line = document.createElement("p");
      const label = document.createElement("strong");
      label.textContent = anchor.label;
      line.append(label, document.createElement("br"),
        `${anchor.speaker} · ${anchor.verdict} · ${anchor.kind}`);
      tip.append(line);
    }
    const box = mark.getBoundingClientRect();
    tip.hidden = false;
    const left = Math.min(box.left, document.documentElement.clientWidth - tip.offsetWidth - 8);
    tip.style.left = `${Math.max(8, left) + window.scrollX}px`;
    tip.style.top = `${box.bottom + window.scrollY + 6}px`;
    mark.setAttribute("aria-describedby", "annotate-tip");
  }

  function hideTip(mark) {
    tip.hidden = true;
    if (mark) mark.removeAttribute("aria-describedby");
  }

  function openClaim(mark) {
    const anchor = anchors[mark.dataset.anchors.split(" ")[0]];
    if (anchor) window.location.assign(anchor.url);
  }

  function show(key) {
    const mark = article.querySelector(`[data-first~="${key}"]`);
    if (!mark) return;
    mark.scrollIntoView({ block: "center" });
    mark.focus({ preventScroll: true });
    mark.classList.add("is-flash");
    window.setTimeout(() => mark.classList.remove("is-flash"), 1600);
  }

  article.addEventListener("mouseover", (event) => {
    const mark = event.target.closest("mark.hl");
    if (mark) describe(mark);
  });
  article.addEventListener("mouseout", (event) => {
    const mark = event.target.closest("mark.hl");
    if (mark && !mark.contains(event.relatedTarget)) hideTip(mark);
  });
  article.addEventListener("focusin", (event) => {
    if (event.target.matches("mark.hl")) describe(event.target);
  });
  article.addEventListener("focusout", (event) => {
    if (event.target.matches("mark.hl")) hideTip(event.target);
  });
  article.addEventListener("click", (event) => {
    const mark = event.target.closest("mark.hl");
    // A drag that selects words inside a highlight is not a click on it.
    if (mark && window.getSelection().isCollapsed) openClaim(mark);
  });
  article.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && event.target.matches("mark.hl")) openClaim(event.target);
  });

  document.querySelectorAll("[data-show]").forEach((link) => {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      show(link.dataset.show);
    });
  });

  // Wiring

  document.addEventListener("selectionchange", () => {
    const selection = readSelection();
    if (selection) {
      current = selection;
      showSelection();
    }
  });

  document.querySelectorAll("[data-action]").forEach((button) => {
    button.addEventListener("click", () => {
      openForm(button.dataset.action, button.dataset.quote, button.dataset.label);
    });
  });

  document.querySelectorAll("[data-role=cancel]").forEach((button) => {
    button.addEventListener("click", dismiss);
  });

  const findForm = document.getElementById("annotate-find");
  if (findForm) {
    findForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const found = find(document.getElementById("annotate-find-input").value);
      if (!found) {
        say("Those words are not in the text.");
        return;
      }
      selectOffsets(found[0], found[1]);
      current = readSelection();
      showSelection();
    });
  }

  const SHORTCUTS = { n: "claim", a: "attach", e: "evidence" };
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && current) {
      dismiss();
      return;
    }
    const typing = event.target.closest("input, textarea, select, [contenteditable]");
    const action = SHORTCUTS[event.key.toLowerCase()];
    if (!action || typing || event.ctrlKey || event.metaKey || event.altKey) return;
    if (formFor(action)) {
      event.preventDefault();
      openForm(action);
    }
  });

  // A form sent back with errors: its selection is the current one again.
  const reopened = document.querySelector(".annotate-form:not([hidden])");
  if (reopened) {
    const value = (key) => reopened.elements[`${reopened.dataset.form}-${key}`].value;
    if (value("exact") && value("start") !== "") {
      current = {
        exact: value("exact"),
        start: Number(value("start")),
        end: Number(value("end")),
        prefix: value("prefix"),
        suffix: value("suffix"),
      };
      showSelection();
    }
  }

  if (chars.length !== Number(root.dataset.length)) {
    say("This page could not read the text back exactly; reload it before annotating.");
    document.querySelectorAll("[data-action]").forEach((button) => {
      button.disabled = true;
    });
  }

  if (window.location.hash.length > 1) {
    show(decodeURIComponent(window.location.hash.slice(1)));
  }
});
