"""The negotiating text: provisions, bracketed alternatives, comments, versions per round, and
the initials and Ed25519 signatures on the clean text.

Once the first head initials the clean text, its canonical document and SHA-256 are frozen
(`DraftText.canonical`, `.digest`); the wording can no longer change, and every initial and
signature is over that digest.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parley.audit.services import audit_append
from parley.core.errors import Forbidden
from parley.core.models import Party, User
from parley.core.types import party_of
from parley.engines import textsign
from parley.talks.models import (
    Bracket,
    DraftText,
    Provision,
    ProvisionComment,
    Round,
    SigningKey,
    TextSignature,
    TextVersion,
    Visibility,
)
from parley.talks.rules import (
    can_comment,
    can_propose_wording,
    can_resolve_brackets,
    can_sign_texts,
)
from parley.talks.selectors.texts import (
    open_brackets,
    signing_parties,
    text_document,
    version_provisions,
)
from parley.talks.services.agenda import wording_digest
from parley.talks.services.frame import require_secretariat


def _require_negotiable(text: DraftText) -> None:
    # Read afresh: the caller's copy (often reached through a provision) may predate the initial.
    if DraftText.objects.filter(pk=text.pk).exclude(digest="").exists():
        raise ValidationError({"text": [_("The text is initialled; its wording is final.")]})


def text_create(*, actor: User, agreement: Any, title: str) -> DraftText:
    """The single negotiating text of an agreement."""
    require_secretariat(actor)
    if DraftText.objects.filter(agreement=agreement).exists():
        raise ValidationError({"agreement": [_("%(code)s already has a negotiating text.")
                                             % {"code": agreement.code}]})
    text = DraftText(process=agreement.process, agreement=agreement, title=title)
    text.full_clean()
    with transaction.atomic():
        text.save()
        audit_append(actor=actor, action="text.create", obj=text,
                     after={"agreement": agreement.code, "title": title})
    return text


def provision_add(
    *, actor: User, text: DraftText, article: int, paragraph: int, body: str = "",
    terms: str = "",
) -> Provision:
    """A numbered provision; its number never changes. An empty body means the wording is still
    in brackets."""
    require_secretariat(actor)
    _require_negotiable(text)
    if Provision.objects.filter(text=text, article=article, paragraph=paragraph).exists():
        raise ValidationError({"paragraph": [_("Article %(article)s already has a paragraph "
                                               "%(paragraph)s.")
                                             % {"article": article, "paragraph": paragraph}]})
    provision = Provision(text=text, article=article, paragraph=paragraph, body=body.strip(),
                          terms=terms)
    provision.full_clean()
    with transaction.atomic():
        provision.save()
        audit_append(actor=actor, action="provision.add", obj=provision,
                     after={"text": text.pk, "number": provision.number,
                            "body": provision.body, "terms": terms})
    return provision


def bracket_propose(
    *, actor: User, provision: Provision, wording: str, round: Round,
) -> Bracket:
    """The actor's party (or the mediator) proposes its wording for a provision."""
    if not can_propose_wording(actor):
        raise Forbidden(_("Only the parties' delegates and the mediator propose wording."))
    _require_negotiable(provision.text)
    if not wording.strip():
        raise ValidationError({"wording": [_("Give the wording you propose.")]})
    if round.process_id != provision.text.process_id:
        raise ValidationError({"round": [_("The round belongs to another process.")]})
    bracket = Bracket(provision=provision, party=actor.party, wording=wording.strip(),
                      round=round, author=actor)
    with transaction.atomic():
        bracket.save()
        audit_append(actor=actor, action="bracket.propose", obj=bracket,
                     after={"provision": provision.number, "text": provision.text_id,
                            "party": party_of(actor).slug, "wording": bracket.wording})
    return bracket


def bracket_resolve(
    *, actor: User, provision: Provision, bracket: Bracket | None = None, wording: str = "",
) -> Provision:
    """The mediator settles a provision: one party's alternative, or a compromise wording."""
    if not can_resolve_brackets(actor):
        raise Forbidden(_("Only the mediator resolves brackets."))
    _require_negotiable(provision.text)
    if bracket is not None and bracket.provision_id != provision.pk:
        raise ValidationError({"bracket": [_("That alternative belongs to another provision.")]})
    chosen = bracket.wording if bracket is not None else wording.strip()
    if not chosen:
        raise ValidationError({"wording": [_("Choose an alternative or write the agreed "
                                             "wording.")]})
    with transaction.atomic():
        provision = Provision.objects.select_for_update().get(pk=provision.pk)
        before = provision.body
        provision.body = chosen
        provision.save(update_fields=["body"])
        now = timezone.now()
        provision.brackets.filter(resolved_at__isnull=True).update(resolved_at=now)
        if bracket is not None:
            Bracket.objects.filter(pk=bracket.pk).update(chosen=True)
        audit_append(actor=actor, action="provision.resolve", obj=provision,
                     before={"body": before},
                     after={"body": chosen, "chosen": bracket.party.slug if bracket else None})
    return provision


def comment_add(
    *, actor: User, provision: Provision, text: str, visibility: str = Visibility.PARTIES,
) -> ProvisionComment:
    if not can_comment(actor):
        raise Forbidden(_("Only the parties' delegates and the mediator comment on the text."))
    if not text.strip():
        raise ValidationError({"text": [_("The comment is empty.")]})
    comment = ProvisionComment(provision=provision, party=actor.party, author=actor,
                               text=text.strip(), visibility=visibility)
    comment.full_clean()
    with transaction.atomic():
        comment.save()
        audit_append(actor=actor, action="comment.add", obj=comment,
                     after={"provision": provision.number, "text": provision.text_id,
                            "visibility": visibility,
                            "wording_sha256": wording_digest(comment.text)})
    return comment


def text_version_save(*, actor: User, text: DraftText, round: Round) -> TextVersion:
    """Keep the text as it stands at this round (provisions and open alternatives)."""
    require_secretariat(actor)
    with transaction.atomic():
        DraftText.objects.select_for_update().get(pk=text.pk)
        number = (text.versions.aggregate(top=Max("number"))["top"] or 0) + 1
        version = TextVersion.objects.create(
            text=text, number=number, round=round, provisions=version_provisions(text),
            created_by=actor)
        audit_append(actor=actor, action="text.version", obj=text,
                     after={"version": number, "round": round.pk})
    return version


def signing_key_register(*, actor: User, public_key: str) -> SigningKey:
    """The head of delegation registers the public half of the delegation's key; an earlier
    key of the party is revoked."""
    if not can_sign_texts(actor):
        raise Forbidden(_("Only a head of delegation registers the delegation's key."))
    try:
        identifier = textsign.key_id(public_key)
    except textsign.BadKey as exc:
        raise ValidationError({"public_key": [_("This is not an Ed25519 public key in base64 "
                                                "(the line `parley text keygen` prints).")]}) \
            from exc
    with transaction.atomic():
        SigningKey.objects.filter(party=actor.party, revoked_at__isnull=True).update(
            revoked_at=timezone.now())
        try:
            with transaction.atomic():
                key = SigningKey.objects.create(
                    party=party_of(actor), public_key=public_key.strip(), key_id=identifier,
                    registered_by=actor,
                )
        except IntegrityError as exc:
            raise ValidationError({"public_key": [_("This key is already registered.")]}) \
                from exc
        audit_append(actor=actor, action="signing_key.register", obj=key,
                     after={"party": party_of(actor).slug, "key_id": identifier})
    return key


def _require_signatory(actor: User, text: DraftText) -> Party:
    party = actor.party
    if (
        party is None
        or not can_sign_texts(actor)
        or actor.party_id not in {p.pk for p in signing_parties(text)}
    ):
        raise Forbidden(_("Only the heads of the parties bound by the agreement initial and "
                          "sign its text."))
    return party


def text_initial(*, actor: User, text: DraftText) -> DraftText:
    """A head initials the clean text. The first initial freezes the canonical document."""
    party = _require_signatory(actor, text)
    with transaction.atomic():
        text = DraftText.objects.select_for_update().get(pk=text.pk)
        if text.status != DraftText.Status.NEGOTIATING:
            raise ValidationError({"text": [_("The text is already initialled.")]})
        unresolved = [p.number for p in text.provisions.all() if not p.body]
        if open_brackets(text) or unresolved:
            raise ValidationError({"text": [_("Every bracket must be resolved before the text "
                                              "is initialled.")]})
        if not text.digest:
            text.canonical = text_document(text)
            text.digest = textsign.document_digest(text.canonical)
        if TextSignature.objects.filter(text=text, kind=TextSignature.Kind.INITIAL,
                                        party=party).exists():
            raise ValidationError({"text": [_("Your party has initialled this text.")]})
        TextSignature.objects.create(text=text, kind=TextSignature.Kind.INITIAL, party=party,
                                     user=actor, digest=text.digest)
        initialled = set(text.signatures.filter(kind=TextSignature.Kind.INITIAL)
                         .values_list("party_id", flat=True))
        if {p.pk for p in signing_parties(text)} <= initialled:
            text.status = DraftText.Status.INITIALLED
        text.save(update_fields=["canonical", "digest", "status"])
        audit_append(actor=actor, action="text.initial", obj=text,
                     after={"party": party.slug, "sha256": text.digest, "status": text.status})
    return text


def text_sign(*, actor: User, text: DraftText, signature: str) -> TextSignature:
    """A head uploads the delegation's signature of the initialled text (made off the server
    with `parley text sign`); it must verify against the party's registered key."""
    party = _require_signatory(actor, text)
    with transaction.atomic():
        text = DraftText.objects.select_for_update().get(pk=text.pk)
        if text.status == DraftText.Status.NEGOTIATING:
            raise ValidationError({"signature": [_("Every party initials the text before it "
                                                   "is signed.")]})
        key = SigningKey.objects.filter(party=party, revoked_at__isnull=True).first()
        if key is None:
            raise ValidationError({"signature": [_("Your delegation has no registered signing "
                                                   "key; register its public key first.")]})
        if not textsign.verify_signature(key.public_key, text.digest, signature):
            raise ValidationError({"signature": [_("The signature does not verify against "
                                                   "your delegation's key %(key)s and this "
                                                   "text's SHA-256.") % {"key": key.key_id}]})
        if text.signatures.filter(kind=TextSignature.Kind.SIGNATURE, party=party).exists():
            raise ValidationError({"signature": [_("Your party has signed this text.")]})
        mark = TextSignature.objects.create(
            text=text, kind=TextSignature.Kind.SIGNATURE, party=party, user=actor,
            digest=text.digest, key=key, signature=signature.strip())
        signed = set(text.signatures.filter(kind=TextSignature.Kind.SIGNATURE)
                     .values_list("party_id", flat=True))
        if {p.pk for p in signing_parties(text)} <= signed:
            text.status = DraftText.Status.SIGNED
            text.save(update_fields=["status"])
        audit_append(actor=actor, action="text.sign", obj=text,
                     after={"party": party.slug, "sha256": text.digest, "key_id": key.key_id,
                            "status": text.status})
    return mark
