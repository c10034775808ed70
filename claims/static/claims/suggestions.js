/* Claim suggestions on the annotate page: the check-worthy sentences of the text,
   each with its score, the speaker the article presents and how it is attributed
   (GET /api/v1/sources/<id>/suggestions/).

   They are drawn with the CSS Custom Highlight API, so the text's own pieces and
   the claims' highlights (annotate.js) are untouched; where a browser lacks it the
   list in the panel still shows and selects them. Accept selects the sentence and
   opens the new-claim form filled in (quote, offsets, speaker, attribution kind;
   stated on is the source's date already); the suggestion is recorded as accepted
   once that claim is made. Dismiss hides it for everyone. Offsets are code points. */
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  const script = document.querySelector("script[data-suggestions-url]");
  const article = document.getElementById("annotate-text");
  const panel = document.querySelector(".annotate-panel");
  if (!script || !article || !panel) return;
  const url = script.dataset.suggestionsUrl;
  const canEdit = Boolean(document.querySelector("[data-action=claim]"));
  const pieces = Array.from(article.querySelectorAll("[data-start]"));
  const starts = pieces.map((piece) => Number(piece.dataset.start));
  const highlights = "CSS" in window && "highlights" in CSS && typeof Highlight === "function";
  const ATTRIBUTION = {
    direct_quote: "direct quote",
    paraphrase: "paraphrase",
    reported: "reported by a third party",
    anonymous: "anonymous",
    outlet: "outlet's own reporting",
  };
  let suggestions = [];
  let accepting = null;

  function csrfToken() {
    const field = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (field) return field.value;
    const cookie = document.cookie.split("; ").find((row) => row.startsWith("csrftoken="));
    return cookie ? decodeURIComponent(cookie.split("=")[1]) : "";
  }

  function post(path, options) {
    return fetch(`${url}${path}`, {
      method: "POST",
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
      ...options,
    });
  }

  // Offsets → DOM points, as annotate.js finds them.
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
    const text = pieces[index].firstChild;
    const inside = Math.min(Math.max(offset - starts[index], 0), Array.from(text.data).length);
    return [text, Array.from(text.data).slice(0, inside).join("").length];
  }

  function rangeOf(item) {
    const range = document.createRange();
    range.setStart(...pointAt(item.start, false));
    range.setEnd(...pointAt(item.end, true));
    return range;
  }

  function draw(active) {
    if (!highlights) return;
    CSS.highlights.set(
      "claim-suggestion",
      new Highlight(...suggestions.filter((item) => item !== active).map(rangeOf)),
    );
    if (active) CSS.highlights.set("claim-suggestion-active", new Highlight(rangeOf(active)));
    else CSS.highlights.delete("claim-suggestion-active");
  }

  function show(item) {
    draw(item);
    const range = rangeOf(item);
    range.startContainer.parentElement.scrollIntoView({ block: "center" });
  }

  // Accept: select the sentence, open the new-claim form, fill in what we know.
  function setField(form, name, value) {
    const field = form.elements[`claim-${name}`];
    if (field && value !== undefined && value !== null) field.value = value;
  }

  function label(quote) {
    const words = quote.replace(/[“”"]/g, "").split(/\s+/).slice(0, 8).join(" ");
    return words.length > 80 ? words.slice(0, 79) + "…" : words;
  }

  function accept(item) {
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(rangeOf(item));
    // annotate.js reads the selection on selectionchange, which fires after this task.
    window.setTimeout(() => {
      document.querySelector("[data-action=claim]").click();
      const form = document.getElementById("annotate-form-claim");
      if (!form || form.hidden) return;
      setField(form, "label", label(item.quote));
      setField(form, "attribution", item.attribution);
      const speaker = item.speaker;
      const select = form.elements["claim-speaker"];
      if (speaker && speaker.id && select) {
        if (!select.querySelector(`option[value="${speaker.id}"]`)) {
          select.append(new Option(speaker.name, speaker.id));
        }
        select.value = String(speaker.id);
        select.dispatchEvent(new Event("change", { bubbles: true }));
        setField(form, "new_speaker", "");
      } else if (speaker) {
        setField(form, "new_speaker", speaker.name);
        setField(form, "new_speaker_kind", speaker.kind);
      }
      accepting = item;
    }, 50);
  }

  function dismiss(item, entry) {
    post(`${item.id}/dismiss/`)
      .then((response) => {
        if (!response.ok) throw new Error(String(response.status));
        suggestions = suggestions.filter((other) => other !== item);
        entry.remove();
        count();
        draw(null);
      })
      .catch(() => {
        entry.querySelector(".suggestion-status").textContent = "Could not dismiss; try again.";
      });
  }

  // The panel's list
  const section = document.createElement("section");
  section.className = "annotate-suggestions-list";
  section.setAttribute("aria-labelledby", "annotate-suggestions-title");
  const title = document.createElement("h2");
  title.id = "annotate-suggestions-title";
  const intro = document.createElement("p");
  intro.className = "help";
  const list = document.createElement("ol");
  section.append(title, intro, list);
  const before = panel.querySelector(".annotate-legend") || panel.querySelector(".annotate-claims");
  panel.insertBefore(section, before);

  function count() {
    title.textContent = `Suggested claims (${suggestions.length})`;
  }

  function entryFor(item) {
    const entry = document.createElement("li");
    entry.className = "suggestion";
    const score = document.createElement("span");
    score.className = "suggestion-score";
    score.textContent = item.score.toFixed(2);
    score.title = "Check-worthiness, 0 to 1";
    const quote = document.createElement("a");
    quote.href = "#";
    quote.className = "suggestion-quote";
    quote.textContent = `“${item.quote.length > 140 ? item.quote.slice(0, 139) + "…" : item.quote}”`;
    quote.addEventListener("click", (event) => {
      event.preventDefault();
      show(item);
    });
    const meta = document.createElement("span");
    meta.className = "annotate-meta";
    const who = item.speaker ? item.speaker.name + (item.speaker.id ? "" : " (new)") : "no speaker";
    meta.textContent = `${who} · ${ATTRIBUTION[item.attribution] || item.attribution}`;
    const reasons = document.createElement("span");
    reasons.className = "suggestion-reasons";
    reasons.textContent = item.reasons.join(" · ");
    const status = document.createElement("span");
    status.className = "suggestion-status";
    status.setAttribute("aria-live", "polite");
    entry.append(score, " ", quote, document.createElement("br"), meta, document.createElement("br"),
      reasons);
    if (canEdit) {
      const actions = document.createElement("span");
      actions.className = "suggestion-actions";
      const yes = document.createElement("button");
      yes.type = "button";
      yes.className = "button";
      yes.textContent = "Accept";
      yes.addEventListener("click", () => accept(item));
      const no = document.createElement("button");
      no.type = "button";
      no.className = "button";
      no.textContent = "Dismiss";
      no.addEventListener("click", () => dismiss(item, entry));
      actions.append(yes, " ", no);
      entry.append(document.createElement("br"), actions);
    }
    const checked = document.createElement("button");
    checked.type = "button";
    checked.className = "button suggestion-checked";
    checked.textContent = "Checked before?";
    checked.addEventListener("click", () => checkedBefore(item, checked));
    entry.append(" ", checked, status);
    entry.addEventListener("mouseenter", () => draw(item));
    entry.addEventListener("mouseleave", () => draw(null));
    return entry;
  }

  // The recorded claim most like the sentence (the matcher of "Checked before?"),
  // asked for only when wanted: a query per sentence would be too many.
  const similarUrl = url.replace(/sources\/\d+\/suggestions\/$/, "claims/similar/");
  function checkedBefore(item, button) {
    const box = document.createElement("span");
    box.className = "suggestion-match";
    box.textContent = "Looking…";
    button.replaceWith(box);
    const query = new URLSearchParams({ text: item.quote.slice(0, 2000), limit: "1" });
    fetch(`${similarUrl}?${query}`, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((body) => {
        const match = (body.results || [])[0];
        if (!match) {
          box.textContent = "No recorded claim like it.";
          return;
        }
        const link = document.createElement("a");
        link.href = `/admin/claims/claim/${match.claim.id}/change/`;
        link.textContent = match.claim.label || match.claim.text;
        box.replaceChildren("Closest recorded claim: ", link,
          ` (${Number(match.score).toFixed(2)}${match.score >= body.threshold ? ", probably the same" : ""})`);
      })
      .catch(() => {
        box.textContent = "The matcher did not answer.";
      });
  }

  function load() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((body) => {
        if (!body.supported) {
          title.textContent = "Suggested claims";
          intro.textContent = body.detail;
          return;
        }
        if (body.status === "computing") {
          title.textContent = "Suggested claims";
          intro.textContent = "The sentences of this long text are being scored; this list fills in when that is done.";
          window.setTimeout(load, 5000);
          return;
        }
        suggestions = body.results;
        intro.textContent = "Sentences that look check-worthy, with their score (0–1), who the article says asserts them and why. Sentences already claimed are left out.";
        list.replaceChildren(...suggestions.map(entryFor));
        count();
        draw(null);
      })
      .catch(() => {
        title.textContent = "Suggested claims";
        intro.textContent = "The suggestions could not be loaded.";
      });
  }

  // Recorded as accepted once the claim is made: the form is sent, the page comes
  // back with its success message (a refused form leaves the suggestion open).
  const claimForm = document.getElementById("annotate-form-claim");
  if (claimForm) {
    claimForm.addEventListener("submit", () => {
      const item = accepting;
      const start = claimForm.elements["claim-start"];
      if (item && start && Number(start.value) === item.start) {
        sessionStorage.setItem("claim-suggestion-accepting", JSON.stringify({ id: item.id, url: url }));
      }
    });
  }
  const pending = JSON.parse(sessionStorage.getItem("claim-suggestion-accepting") || "null");
  sessionStorage.removeItem("claim-suggestion-accepting");
  if (pending && pending.url === url && document.querySelector("ul.messagelist .success")) {
    post(`${pending.id}/accept/`).catch(() => {});
  }

  load();
});
