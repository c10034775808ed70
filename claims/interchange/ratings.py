"""Other fact-checkers' ratings on our scale: the labels seeded for common publishers,
and the map (``map_rating``, ``remap_reviews``, kept in ``claims.services.ratings_map``
with the writes of the map, which are services).

How the seeded labels are placed, as a fact-checker reads them against our scale's
descriptions (migration 0002):

- True, correct, accurate → true; "mostly" or "largely" true, "true but…", imprecise
  → mostly-true; half true, mixture, partly true or partly false, exaggerated → half-true;
  "mostly" false → mostly-false; false, incorrect, inaccurate, fake, hoax, scam,
  fabricated, altered, misattributed → false.
- Context: *missing context* (the facts are right, important details are left out, or
  taken out of context) → half-true, as our half-true says; *misleading* (the facts
  are used to give an impression that is false: misleading, "engañoso", "trompeur",
  "irreführend", a false context, a miscaptioned picture, outdated) → mostly-false,
  as our mostly-false says. The line: would the reader end up believing something
  false? Then mostly-false.
- No evidence, unproven, unsubstantiated, unfounded, uncheckable → unsupported (the
  claim is not backed, which is what we publish as Unsupported), never unverified (our
  "no verdict yet").
- Satire, parody, legend, flip-flop ratings and other labels that are not a verdict on
  a claim's truth are not seeded: their reviews stay unmapped, and an editor decides.
- The Washington Post's Pinocchios run the other way (more is worse): One → mostly-true,
  Two → half-true, Three → mostly-false, Four and Bottomless → false, the Geppetto
  Checkmark → true. Labels come before numbers, so their reviews never reach the
  proportional placement, which assumes that a higher ratingValue is truer.

Each label is seeded for its language (the BCP 47 primary tag): "False" is English,
"Faux" French. Editors change the map in the admin (Rating mappings); every change
remaps the imported reviews.
"""

from claims.services.ratings_map import map_rating, rating_mappings_seed, remap_reviews

__all__ = ["SEED", "map_rating", "remap_reviews", "seed_rating_map"]

# (label as published, language, our rating's slug)
SEED: list[tuple[str, str, str]] = [
    # English: PolitiFact
    ("True", "en", "true"),
    ("Mostly True", "en", "mostly-true"),
    ("Half True", "en", "half-true"),
    ("Mostly False", "en", "mostly-false"),
    ("False", "en", "false"),
    ("Pants on Fire", "en", "false"),
    # The Washington Post (more Pinocchios: less true)
    ("Geppetto Checkmark", "en", "true"),
    ("One Pinocchio", "en", "mostly-true"),
    ("Two Pinocchios", "en", "half-true"),
    ("Three Pinocchios", "en", "mostly-false"),
    ("Four Pinocchios", "en", "false"),
    ("Bottomless Pinocchio", "en", "false"),
    # Snopes (Labeled Satire, Legend, Research in progress: unmapped)
    ("Mixture", "en", "half-true"),
    ("Unproven", "en", "unsupported"),
    ("Miscaptioned", "en", "mostly-false"),
    ("Misattributed", "en", "false"),
    ("Correct Attribution", "en", "true"),
    ("Outdated", "en", "mostly-false"),
    ("Scam", "en", "false"),
    # Full Fact, AFP Fact Check, Reuters, Lead Stories and others
    ("Correct", "en", "true"),
    ("Accurate", "en", "true"),
    ("Mostly Correct", "en", "mostly-true"),
    ("Mostly Accurate", "en", "mostly-true"),
    ("Partly True", "en", "half-true"),
    ("Partly False", "en", "half-true"),
    ("Partially False", "en", "half-true"),
    ("Half Truth", "en", "half-true"),
    ("Exaggerated", "en", "half-true"),
    ("Missing Context", "en", "half-true"),
    ("Needs Context", "en", "half-true"),
    ("Out of Context", "en", "half-true"),
    ("Misleading", "en", "mostly-false"),
    ("False Context", "en", "mostly-false"),
    ("Incorrect", "en", "false"),
    ("Inaccurate", "en", "false"),
    ("Fake", "en", "false"),
    ("Hoax", "en", "false"),
    ("Fabricated", "en", "false"),
    ("Altered", "en", "false"),
    ("Unsubstantiated", "en", "unsupported"),
    ("Unsupported", "en", "unsupported"),
    ("No Evidence", "en", "unsupported"),
    ("Unfounded", "en", "unsupported"),
    ("Baseless", "en", "unsupported"),
    # French: AFP Factuel, Les Décodeurs (Le Monde), Libération CheckNews
    ("Vrai", "fr", "true"),
    ("Plutôt vrai", "fr", "mostly-true"),
    ("Imprécis", "fr", "mostly-true"),
    ("Partiellement faux", "fr", "half-true"),
    ("Partiellement vrai", "fr", "half-true"),
    ("C'est plus compliqué", "fr", "half-true"),
    ("Exagéré", "fr", "half-true"),
    ("Manque de contexte", "fr", "half-true"),
    ("Hors contexte", "fr", "half-true"),
    ("Trompeur", "fr", "mostly-false"),
    ("Plutôt faux", "fr", "mostly-false"),
    ("Faux", "fr", "false"),
    ("Fausse information", "fr", "false"),
    ("Canular", "fr", "false"),
    ("Arnaque", "fr", "false"),
    ("Montage", "fr", "false"),
    ("Infondé", "fr", "unsupported"),
    ("Sans preuve", "fr", "unsupported"),
    # Spanish: Maldita, Newtral, Chequeado, EFE Verifica, AFP Factual
    ("Verdadero", "es", "true"),
    ("Cierto", "es", "true"),
    ("Verdad", "es", "true"),
    ("Verdadero, pero...", "es", "mostly-true"),
    ("Verdadero pero...", "es", "mostly-true"),
    ("Mayormente verdadero", "es", "mostly-true"),
    ("Impreciso", "es", "mostly-true"),
    ("Verdad a medias", "es", "half-true"),
    ("Parcialmente falso", "es", "half-true"),
    ("Exagerado", "es", "half-true"),
    ("Discutible", "es", "half-true"),
    ("Falta contexto", "es", "half-true"),
    ("Sacado de contexto", "es", "half-true"),
    ("Engañoso", "es", "mostly-false"),
    ("Mayormente falso", "es", "mostly-false"),
    ("Falso", "es", "false"),
    ("Bulo", "es", "false"),
    ("Sin evidencia", "es", "unsupported"),
    ("Sin evidencias", "es", "unsupported"),
    ("Sin pruebas", "es", "unsupported"),
    ("Apresurado", "es", "unsupported"),
    ("Insostenible", "es", "unsupported"),
    ("Inchequeable", "es", "unsupported"),
    # German: Correctiv, dpa-Faktencheck, AFP Faktencheck, BR24 #Faktenfuchs
    ("Richtig", "de", "true"),
    ("Zutreffend", "de", "true"),
    ("Stimmt", "de", "true"),
    ("Größtenteils richtig", "de", "mostly-true"),
    ("Teilweise richtig", "de", "half-true"),
    ("Teilweise falsch", "de", "half-true"),
    ("Übertrieben", "de", "half-true"),
    ("Fehlender Kontext", "de", "half-true"),
    ("Aus dem Kontext gerissen", "de", "half-true"),
    ("Größtenteils falsch", "de", "mostly-false"),
    ("Irreführend", "de", "mostly-false"),
    ("Falscher Kontext", "de", "mostly-false"),
    ("Falsch", "de", "false"),
    ("Unzutreffend", "de", "false"),
    ("Stimmt nicht", "de", "false"),
    ("Frei erfunden", "de", "false"),
    ("Manipuliert", "de", "false"),
    ("Unbelegt", "de", "unsupported"),
    # Seen in the wild beside the publishers' own scales, in any of the four languages
    ("Wrong", "en", "false"),
    ("Not true", "en", "false"),
    ("False and misleading", "en", "false"),
    ("Manipulated", "en", "false"),
    ("Doctored", "en", "false"),
    ("Legit", "en", "true"),
    ("Intox", "fr", "false"),
    ("Cuestionable", "es", "mostly-false"),
    ("Fake", "de", "false"),
]


def seed_rating_map(apps=None) -> int:
    """Create the ``SEED`` mappings not made yet (a label an editor mapped keeps its
    rating; a slug not on our scale is skipped). ``apps``: a data migration's
    registry. The number created."""
    return rating_mappings_seed(SEED, apps=apps)
