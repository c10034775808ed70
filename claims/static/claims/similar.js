/* "Checked before?": as an editor types a claim, the claims already recorded that
 * most likely state the same thing, with one click to link them or say they differ.
 *
 * A container marks where it shows and what it reads:
 *   <div data-similar data-api="/api/v1/" data-text-field="id_text"
 *        data-language-field="id_language" (or data-language="en")
 *        data-claim="12" (an existing claim: its choices are saved at once)
 *        data-admin-claim-url="/admin/claims/claim/0/change/"
 *        data-place-after="#id_text"></div>
 * On a claim not saved yet the choices go in hidden fields of the surrounding form
 * (link_same_as, link_related, link_dismissed: claim ids), which the form's save
 * turns into links (claims/services/links.py).
 */
(function () {
  "use strict";

  const MIN_LENGTH = 12;
  const DELAY_MS = 300;
  const LIMIT = 5;
  const CHOICES = [
    { kind: "same", field: "link_same_as", label: "Same claim", done: "Same claim" },
    { kind: "related", field: "link_related", label: "Related", done: "Related" },
    { kind: "dismissed", field: "link_dismissed", label: "Not the same", done: "Not the same" },
  ];

  function csrfToken(form) {
    const input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    if (input && input.value) return input.value;
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  // What an error answer says, for a person (factcheck/api/errors.py's shape).
  function errorText(body, status) {
    if (body && body.errors) {
      const lines = Object.values(body.errors).flat();
      if (lines.length) return lines.join(" ");
    }
    if (body && body.message) return body.message;
    return `The server answered ${status}.`;
  }

  // Each rating's colour, read once per page from the ratings resource.
  let colours = null;
  function ratingColours(api) {
    if (!colours) {
      colours = fetch(`${api}ratings/?page_size=500`, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then((response) => (response.ok ? response.json() : { results: [] }))
        .then((body) => {
          const map = {};
          for (const rating of body.results || []) map[rating.slug] = rating.colour;
          return map;
        })
        .catch(() => ({}));
    }
    return colours;
  }

  class CheckedBefore {
    constructor(box) {
      this.box = box;
      this.api = box.dataset.api || "/api/v1/";
      this.claimId = box.dataset.claim ? Number(box.dataset.claim) : null;
      this.textField = document.getElementById(box.dataset.textField || "id_text");
      this.languageField = box.dataset.languageField
        ? document.getElementById(box.dataset.languageField)
        : null;
      this.form = box.closest("form") || (this.textField && this.textField.form);
      this.timer = null;
      this.request = null;
      this.asked = 0;
      if (!this.textField) return;
      this.initialText = this.textField.value.trim();
      if (box.dataset.placeAfter) {
        const anchor = document.querySelector(box.dataset.placeAfter);
        if (anchor) anchor.insertAdjacentElement("afterend", box);
      }
      box.classList.add("similar-claims");
      box.setAttribute("aria-label", "Checked before?");
      this.status = element("p", "similar-status");
      this.status.setAttribute("role", "status");
      this.list = element("ol", "similar-list");
      // Matches under the suggestion threshold: folded on a saved claim's page, where
      // they would fill the screen with claims that are merely on the same subject;
      // open while a new claim is being written, when anything close is worth a look.
      this.weaker = element("details", "similar-weaker");
      this.weakerSummary = element("summary", "similar-weaker-summary");
      this.weakerList = element("ol", "similar-list");
      this.weaker.append(this.weakerSummary, this.weakerList);
      this.weaker.hidden = true;
      this.linked = element("div", "similar-linked");
      box.replaceChildren(
        element("h3", "similar-title", "Checked before?"),
        this.linked,
        this.status,
        this.list,
        this.weaker,
      );
      box.hidden = true;
      if (this.claimId) this.showLinked();
      this.textField.addEventListener("input", () => this.schedule());
      if (this.languageField) this.languageField.addEventListener("change", () => this.schedule());
      // The annotate page fills the text field from a selection without an input event.
      this.textField.addEventListener("change", () => this.schedule());
      // Leaving the field to save the form asks nothing more.
      if (this.textField.form) {
        this.textField.form.addEventListener("submit", () => {
          this.submitted = true;
          window.clearTimeout(this.timer);
        });
      }
      if (this.textField.value.trim().length >= MIN_LENGTH) this.schedule();
    }

    // A saved claim's same-claim group and related claims, from its API object.
    showLinked() {
      const claimUrl = `${this.api}claims/${this.claimId}/`;
      Promise.all([
        fetch(claimUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then((response) => (response.ok ? response.json() : null)),
        ratingColours(this.api),
      ])
        .then(([claim, colourOf]) => {
          if (!claim) return;
          const related = (claim.links || []).filter((link) => link.kind === "related");
          const rows = [
            ["Same claim as", claim.group || []],
            ["Related to", related.map((link) => link.claim)],
          ].filter(([, claims]) => claims.length);
          this.linked.replaceChildren(
            ...rows.map(([title, claims]) => {
              const line = element("p", "similar-group", `${title}: `);
              claims.forEach((other, index) => {
                if (index) line.append(", ");
                const link = element("a", "", other.label || `Claim ${other.id}`);
                const adminUrl = this.box.dataset.adminClaimUrl;
                link.href = adminUrl ? adminUrl.replace(/\/0\//, `/${other.id}/`) : other.url;
                line.append(link);
                if (other.verdict) {
                  const verdict = element("span", "similar-verdict", other.verdict.label);
                  verdict.style.setProperty("--verdict", colourOf[other.verdict.slug] || "#888888");
                  line.append(" ", verdict);
                }
              });
              return line;
            }),
          );
          if (rows.length) this.box.hidden = false;
        })
        .catch(() => {});
    }

    language() {
      if (this.languageField) return this.languageField.value.trim();
      return (this.box.dataset.language || "").trim();
    }

    schedule() {
      window.clearTimeout(this.timer);
      this.timer = window.setTimeout(() => this.check(), DELAY_MS);
    }

    address(text) {
      if (this.claimId && text === this.initialText) {
        return `${this.api}claims/${this.claimId}/similar/?limit=${LIMIT}`;
      }
      const params = new URLSearchParams({ text, limit: String(LIMIT + 1) });
      const language = this.language();
      if (language) params.set("language", language);
      return `${this.api}claims/similar/?${params}`;
    }

    check() {
      const text = this.textField.value.trim();
      const asking = `${text}\u0000${this.language()}`;
      // A blur ("change") after typing asks again for the same text: not needed.
      if (this.submitted || asking === this.lastAsked) return;
      this.lastAsked = asking;
      if (this.request) this.request.abort();
      if (text.length < MIN_LENGTH) {
        this.box.hidden = !this.linked.childElementCount;
        this.clearMatches();
        return;
      }
      const asked = ++this.asked;
      this.request = new AbortController();
      this.box.hidden = false;
      this.box.setAttribute("aria-busy", "true");
      this.status.textContent = "Looking for claims checked before…";
      const answer = fetch(this.address(text), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: this.request.signal,
      }).then((response) =>
        response
          .json()
          .catch(() => null)
          .then((body) => ({ response, body })),
      );
      Promise.all([answer, ratingColours(this.api)])
        .then(([{ response, body }, colourOf]) => {
          if (asked !== this.asked) return; // an answer to older text
          if (!response.ok) throw new Error(errorText(body, response.status));
          const results = (body.results || [])
            .filter((match) => match.claim.id !== this.claimId)
            .slice(0, LIMIT);
          this.show(results, body.threshold, colourOf);
        })
        .catch((error) => {
          if (error.name === "AbortError" || asked !== this.asked) return;
          this.clearMatches();
          this.status.textContent = `Could not look for earlier claims: ${error.message}`;
        })
        .finally(() => {
          if (asked === this.asked) this.box.removeAttribute("aria-busy");
        });
    }

    clearMatches() {
      this.list.replaceChildren();
      this.weakerList.replaceChildren();
      this.weaker.hidden = true;
    }

    show(results, threshold, colourOf) {
      if (!results.length) {
        this.status.textContent = "No claim recorded so far looks like this one.";
        this.clearMatches();
        return;
      }
      const isLikely = (match) => threshold != null && match.score >= threshold;
      const likely = results.filter(isLikely);
      const weaker = results.filter((match) => !isLikely(match));
      this.status.textContent = likely.length
        ? `${likely.length} recorded claim(s) probably state the same thing.`
        : "No recorded claim is likely to state the same thing.";
      this.list.replaceChildren(...likely.map((match) => this.item(match, threshold, colourOf)));
      this.weakerList.replaceChildren(
        ...weaker.map((match) => this.item(match, threshold, colourOf)),
      );
      this.weaker.hidden = !weaker.length;
      this.weakerSummary.textContent =
        `${weaker.length} ${weaker.length === 1 ? "claim looks" : "claims look"} somewhat like it` +
        (threshold != null ? ` (under ${Math.round(threshold * 100)}%)` : "");
      // Open the first time for a claim being written; afterwards the editor decides.
      if (!this.weakerShown) {
        this.weaker.open = !this.claimId;
        this.weakerShown = true;
      }
    }

    item(match, threshold, colourOf) {
      const claim = match.claim;
      const item = element("li", "similar-item");
      item.dataset.claim = String(claim.id);
      if (threshold != null && match.score >= threshold) item.classList.add("is-likely");

      const head = element("div", "similar-head");
      const adminUrl = this.box.dataset.adminClaimUrl;
      const label = element("a", "similar-label", claim.label || `Claim ${claim.id}`);
      label.href = adminUrl ? adminUrl.replace(/\/0\//, `/${claim.id}/`) : claim.url;
      label.target = "_blank";
      label.rel = "noopener";
      head.append(label);
      if (claim.verdict) {
        const verdict = element("span", "similar-verdict", claim.verdict.label);
        verdict.style.setProperty("--verdict", colourOf[claim.verdict.slug] || "#888888");
        head.append(verdict);
      }
      const score = element("span", "similar-score", `${Math.round(match.score * 100)}%`);
      score.title = "How likely the same claim (0–100%)";
      head.append(score);

      const text = element("p", "similar-text", claim.text);
      const speaker = element(
        "p",
        "similar-speaker",
        claim.speaker ? claim.speaker.name : "Unattributed",
      );
      if (claim.stated_on) speaker.textContent += `, ${claim.stated_on}`;
      const reasons = element("p", "similar-reasons", (match.reasons || []).join(" · "));

      const actions = element("div", "similar-actions");
      const note = element("span", "similar-done");
      note.setAttribute("aria-live", "polite");
      for (const choice of CHOICES) {
        const button = element("button", `button similar-${choice.kind}`, choice.label);
        button.type = "button";
        button.dataset.kind = choice.kind;
        button.setAttribute("aria-pressed", "false");
        button.addEventListener("click", () => this.choose(item, claim.id, choice, note));
        actions.append(button);
      }
      actions.append(note);
      if (!this.claimId) this.markChosen(item, claim.id, note);
      item.append(head, text, speaker, reasons, actions);
      return item;
    }

    // A claim not saved yet: the hidden fields hold the choices.
    hidden(field) {
      let input = this.form && this.form.querySelector(`input[name="${field}"]`);
      if (!input && this.form) {
        input = document.createElement("input");
        input.type = "hidden";
        input.name = field;
        this.form.append(input);
      }
      return input;
    }

    idsIn(field) {
      const input = this.hidden(field);
      return input ? input.value.split(",").filter(Boolean).map(Number) : [];
    }

    markChosen(item, claimId, note) {
      const chosen = CHOICES.find((choice) => this.idsIn(choice.field).includes(claimId));
      this.pressed(item, chosen ? chosen.kind : null);
      note.textContent = chosen ? `${chosen.done}: linked when you save.` : "";
    }

    pressed(item, kind) {
      for (const button of item.querySelectorAll("button[data-kind]")) {
        button.setAttribute("aria-pressed", String(button.dataset.kind === kind));
      }
      item.dataset.linked = kind || "";
    }

    choose(item, claimId, choice, note) {
      if (!this.claimId) {
        const again = this.idsIn(choice.field).includes(claimId);
        for (const other of CHOICES) {
          const input = this.hidden(other.field);
          if (!input) continue;
          const ids = this.idsIn(other.field).filter((id) => id !== claimId);
          if (other === choice && !again) ids.push(claimId);
          input.value = ids.join(",");
        }
        this.markChosen(item, claimId, note);
        return;
      }
      note.textContent = "Saving…";
      fetch(`${this.api}claims/${this.claimId}/links/`, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          Accept: "application/json",
          "Content-Type": "application/json",
          "X-CSRFToken": csrfToken(this.form),
        },
        body: JSON.stringify({ other: claimId, kind: choice.kind }),
      })
        .then((response) =>
          response
            .json()
            .catch(() => null)
            .then((body) => {
              if (!response.ok) throw new Error(errorText(body, response.status));
              this.pressed(item, choice.kind);
              note.textContent = `${choice.done}: saved.`;
              this.showLinked();
            }),
        )
        .catch((error) => {
          note.textContent = `Not saved: ${error.message}`;
        });
    }
  }

  function start() {
    for (const box of document.querySelectorAll("[data-similar]")) {
      if (!box.checkedBefore) box.checkedBefore = new CheckedBefore(box);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
