"""Reads of the negotiating texts, and the pure shapes derived from them: the canonical
document, a version's provisions, the word diff, the signed export and the check of the text
against the agreement's operational terms."""

import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from parley.core.errors import NotFound
from parley.core.models import Party
from parley.core.types import Actor, Any
from parley.engines import textsign
from parley.engines.timewin import WindowError, parse_duration, parse_instant
from parley.talks.models import (
    Bracket,
    DraftText,
    Provision,
    ProvisionComment,
    TextSignature,
    TextVersion,
)
from parley.talks.providers import visible_agreements
from parley.talks.rules import at_the_table, can_view_texts, visibility_filter

# How a bracket names its author in the text: [UA: ...] [RU: ...] [Mediator: ...].
PARTY_CODES = {"ukraine": "UA", "russia": "RU"}


def bracket_label(party: Party) -> str:
    if party.kind == Party.Kind.MEDIATOR:
        return "Mediator"
    return PARTY_CODES.get(party.slug, party.slug.upper())


def signing_parties(text: DraftText) -> list[Party]:
    return [p for p in text.agreement.bound_parties.all() if p.is_belligerent]


def open_brackets(text: DraftText) -> QuerySet[Bracket]:
    return Bracket.objects.filter(provision__text=text, resolved_at__isnull=True)


def text_document(text: DraftText) -> dict:
    """The document a signature covers (see `engines.textsign.canonical`)."""
    return {
        "format": textsign.DOCUMENT_FORMAT,
        "process": text.process.name,
        "agreement": text.agreement.code,
        "title": text.title,
        "provisions": [{"article": p.article, "paragraph": p.paragraph, "text": p.body}
                       for p in text.provisions.order_by("article", "paragraph")],
    }


def version_provisions(text: DraftText) -> list[dict]:
    provisions = text.provisions.order_by("article", "paragraph").prefetch_related(
        Prefetch("brackets", queryset=Bracket.objects.filter(resolved_at__isnull=True)
                 .select_related("party")))
    return [{"number": p.number, "body": p.body,
             "brackets": [{"party": bracket_label(b.party), "wording": b.wording}
                          for b in p.brackets.all()]}
            for p in provisions]


def rendered_provision(entry: dict) -> str:
    """"2.1 The pause lasts [UA: four hours] [RU: three hours]" — one provision as words."""
    parts = [entry["number"], entry["body"]] if entry["body"] else [entry["number"]]
    parts += [f"[{b['party']}: {b['wording']}]" for b in entry["brackets"]]
    return " ".join(parts)


def visible_texts(*, actor: Actor) -> QuerySet[DraftText]:
    """The parties at the table see the texts of the agreements they see; everyone else only
    signed texts of agreements made public."""
    texts = DraftText.objects.filter(agreement__in=visible_agreements(actor=actor))
    if not can_view_texts(actor):
        texts = texts.filter(status=DraftText.Status.SIGNED)
    return texts.select_related("process", "agreement").prefetch_related(
        "agreement__bound_parties")


def text_get(*, actor: Actor, pk: int | str) -> DraftText:
    try:
        return visible_texts(actor=actor).get(pk=pk)
    except (DraftText.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound("text") from exc


@dataclass
class ProvisionView:
    provision: Provision
    brackets: list[Bracket]
    comments: list[ProvisionComment]
    terms_problem: str = ""
    # Filled by the text page (`talks.views.texts`): the open brackets with their labels, and
    # the forms this reader may use on the provision, by name.
    open_brackets: list[dict[str, Any]] = field(default_factory=list)
    forms: dict[str, Any] = field(default_factory=dict)


def text_provisions(*, actor: Actor, text: DraftText) -> list[ProvisionView]:
    comments = ProvisionComment.objects.filter(visibility_filter(actor)).select_related(
        "party", "author")
    brackets = Bracket.objects.select_related("party", "round")
    if not at_the_table(actor):
        # A signed text shown to an observer: the agreed wording only, no negotiating history.
        comments = comments.none()
        brackets = brackets.none()
    provisions = text.provisions.prefetch_related(
        Prefetch("brackets", queryset=brackets), Prefetch("comments", queryset=comments))
    problems = terms_problems(text)
    return [ProvisionView(p, list(p.brackets.all()), list(p.comments.all()),
                          problems.get(p.pk, "")) for p in provisions]


def text_versions(*, actor: Actor, text: DraftText) -> list[TextVersion]:
    if not at_the_table(actor):
        return []
    return list(text.versions.select_related("round", "created_by"))


@dataclass
class ProvisionDiff:
    number: str
    parts: list[textsign.DiffPart] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(part.op != "same" for part in self.parts)


def version_diff(old: TextVersion, new: TextVersion) -> list[ProvisionDiff]:
    """Word by word, provision by provision (matched by their stable numbers)."""
    before = {entry["number"]: rendered_provision(entry) for entry in old.provisions}
    after = {entry["number"]: rendered_provision(entry) for entry in new.provisions}
    numbers = sorted(set(before) | set(after),
                     key=lambda n: tuple(int(part) for part in n.split(".")))
    return [ProvisionDiff(n, textsign.word_diff(before.get(n, ""), after.get(n, "")))
            for n in numbers]


def text_signatures(text: DraftText) -> list[TextSignature]:
    return list(text.signatures.select_related("party", "user", "key"))


def text_export(text: DraftText) -> dict:
    """The export a delegation signs and anyone verifies (`parley text verify`). Before the
    text is initialled the document is the current wording and there is nothing to sign."""
    document = text.canonical or text_document(text)
    return {
        "format": textsign.EXPORT_FORMAT,
        "document": document,
        "sha256": text.digest or textsign.document_digest(document),
        "signatures": [
            _signature_entry(mark)
            for mark in text_signatures(text) if mark.kind == TextSignature.Kind.SIGNATURE
        ],
    }


def _signature_entry(mark: TextSignature) -> dict[str, str]:
    if mark.key is None:  # not reached: signing requires the delegation's registered key
        raise ValueError(f"signature {mark.pk} has no key")
    return {"party": mark.party.slug, "signer": mark.user.username, "kind": "signature",
            "key_id": mark.key.key_id, "public_key": mark.key.public_key,
            "signature": mark.signature, "signed_at": mark.at.isoformat()}


# -- text against terms ---------------------------------------------------------------------

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty-four": 24,
}
HOURS = re.compile(r"\b(\d+|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
                   + r")(?:\s*\(\d+\))?[\s-]+hours?\b", re.IGNORECASE)
AREAS = re.compile(r"\b(\d+|" + "|".join(NUMBER_WORDS) + r")\s+(?:areas?|corridors?|sites?)\b",
                   re.IGNORECASE)


def _number(word: str) -> int:
    return int(word) if word.isdigit() else NUMBER_WORDS[word.lower()]


def _window_hours(windows: list) -> set[float]:
    hours = set()
    for window in windows:
        try:
            if "duration" in window:
                span = parse_duration(window["duration"])
            else:
                span = parse_instant(window["end"]) - parse_instant(window["start"])
        except (WindowError, KeyError, TypeError):
            continue
        hours.add(round(span / timedelta(hours=1), 2))
    return hours


def terms_problems(text: DraftText) -> dict[int, str]:
    """Provisions whose wording disagrees with the agreement's current terms: the hours a pause
    window lasts, or the number of agreed areas."""
    version = text.agreement.current_version
    if version is None:
        return {}
    problems = {}
    for provision in text.provisions.exclude(terms=""):
        if provision.terms == Provision.Terms.WINDOW_HOURS:
            stated = {_number(m.group(1)) for m in HOURS.finditer(provision.body)}
            actual = _window_hours(version.windows)
            if stated and actual and stated != actual:
                problems[provision.pk] = _(
                    "The text says %(stated)s h; the agreement's windows last %(actual)s h."
                ) % {"stated": ", ".join(f"{h:g}" for h in sorted(stated)),
                     "actual": ", ".join(f"{h:g}" for h in sorted(actual))}
        elif provision.terms == Provision.Terms.AREA_COUNT:
            stated = {_number(m.group(1)) for m in AREAS.finditer(provision.body)}
            area_count = len(version.areas.get("features", []))
            if stated and stated != {area_count}:
                problems[provision.pk] = _(
                    "The text names %(stated)s areas; the agreement has %(actual)s."
                ) % {"stated": ", ".join(str(n) for n in sorted(stated)), "actual": area_count}
    return problems


def visible_comment_ids(user: Actor) -> QuerySet:
    return ProvisionComment.objects.filter(visibility_filter(user)).values_list("pk", flat=True)
