import json

import pytest
from django.core.exceptions import ValidationError

from parley.audit.models import AuditEntry
from parley.core.errors import Forbidden
from parley.engines import textsign
from parley.engines.textsign.cli import sign_command, verify_command
from parley.talks import selectors, services
from parley.talks.models import DraftText
from tests.factories import cast
from tests.factories.talks import keys, pause_text

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def _sign(people, text, private, head):
    digest = text.digest
    key = textsign.load_private_key(private[head.username].read_bytes())
    return services.text_sign(actor=head, text=text,
                              signature=textsign.sign_digest(key, digest))


def test_brackets_carry_their_party_and_the_text_is_initialled_only_when_clean():
    people = cast()
    text = pause_text(people)
    entry = [v for v in selectors.texts.version_provisions(text) if v["number"] == "2.1"][0]
    assert selectors.texts.rendered_provision(entry) == (
        "2.1 [UA: The pause lasts four hours each day.] "
        "[RU: The pause lasts three hours each day.]")
    with pytest.raises(ValidationError) as error:
        services.text_initial(actor=people.ua_head, text=text)
    assert error.value.message_dict == {
        "text": ["Every bracket must be resolved before the text is initialled."]}


def test_the_mediator_resolves_and_both_heads_initial_and_sign(tmp_path):
    people = cast()
    text = pause_text(people)
    private = keys(tmp_path, people)
    duration = text.provisions.get(article=2)
    with pytest.raises(Forbidden):
        services.bracket_resolve(actor=people.ua_head, provision=duration,
                                 wording="The pause lasts four hours each day.")
    services.bracket_resolve(actor=people.secretariat, provision=duration,
                             wording="The pause lasts four hours each day, from 10:00 Kyiv.")
    assert selectors.open_brackets(text).count() == 0

    text = services.text_initial(actor=people.ua_head, text=text)
    assert text.status == DraftText.Status.NEGOTIATING
    text = services.text_initial(actor=people.ru_head, text=text)
    assert text.status == DraftText.Status.INITIALLED
    assert text.digest == textsign.document_digest(selectors.text_document(text))
    with pytest.raises(ValidationError):
        services.bracket_propose(actor=people.ru_delegate, provision=duration,
                                 wording="Two hours.", round=people.day1)

    with pytest.raises(ValidationError) as error:
        services.text_sign(actor=people.ua_head, text=text, signature="AAAA")
    assert "does not verify" in error.value.message_dict["signature"][0]
    _sign(people, text, private, people.ua_head)
    _sign(people, text, private, people.ru_head)
    text.refresh_from_db()
    assert text.status == DraftText.Status.SIGNED
    assert [(e.action, e.actor.username) for e in AuditEntry.objects.filter(
        object_type="talks.drafttext", action="text.sign").order_by("pk")] == [
        ("text.sign", "ua-head"), ("text.sign", "ru-head")]

    export = tmp_path / "signed.json"
    export.write_text(json.dumps(selectors.text_export(text), ensure_ascii=False), "utf-8")
    assert verify_command(export=export) == 0
    tampered = tmp_path / "tampered.json"
    tampered.write_text(export.read_text("utf-8").replace("four hours", "fout hours"), "utf-8")
    assert verify_command(export=tampered) == 1


def test_the_offline_signature_is_the_one_the_page_accepts(tmp_path, capsys):
    people = cast()
    text = pause_text(people, resolved=True)
    private = keys(tmp_path, people)
    text = services.text_initial(actor=people.ua_head, text=text)
    text = services.text_initial(actor=people.ru_head, text=text)
    export = tmp_path / "unsigned.json"
    export.write_text(json.dumps(selectors.text_export(text)), "utf-8")

    assert sign_command(key=private["ua-head"], export=export) == 0
    signature = capsys.readouterr().out.strip()
    mark = services.text_sign(actor=people.ua_head, text=text, signature=signature)
    assert mark.key.key_id == textsign.key_id(mark.key.public_key)
    # An export with no signature yet does not verify: there is nothing to trust.
    assert verify_command(export=export) == 1


def test_only_the_bound_parties_heads_sign():
    people = cast()
    text = pause_text(people, resolved=True)
    for outsider in (people.ua_delegate, people.secretariat, people.icrc_liaison):
        with pytest.raises(Forbidden):
            services.text_initial(actor=outsider, text=text)


def test_the_page_flags_where_text_and_terms_disagree():
    people = cast()
    text = pause_text(people, resolved=True)  # four hours; the agreed window is 08:00-12:00
    views = selectors.text_provisions(actor=people.secretariat, text=text)
    assert [v.terms_problem for v in views] == ["", ""]
    duration = text.provisions.get(article=2)
    duration.body = "The pause lasts three hours each day."
    duration.save()
    views = selectors.text_provisions(actor=people.secretariat, text=text)
    assert views[1].terms_problem == "The text says 3 h; the agreement's windows last 4 h."


def test_versions_differ_word_by_word():
    people = cast()
    text = pause_text(people)
    first = services.text_version_save(actor=people.secretariat, text=text, round=people.day1)
    duration = text.provisions.get(article=2)
    services.bracket_resolve(actor=people.secretariat, provision=duration,
                             wording="The pause lasts four hours each day.")
    second = services.text_version_save(actor=people.secretariat, text=text, round=people.day1)
    diff = selectors.version_diff(first, second)
    assert [d.changed for d in diff] == [False, True]
    assert [(p.op, p.text) for p in diff[1].parts] == [
        ("same", "2.1"),
        ("removed", " [UA:"),
        ("same", " The pause lasts four hours each day."),
        ("removed", "] [RU: The pause lasts three hours each day.]"),
    ]


def test_the_public_timeline_shows_a_text_once_when_every_party_has_signed(tmp_path):
    people = cast()
    text = pause_text(people, resolved=True)
    private = keys(tmp_path, people)
    for head in (people.ua_head, people.ru_head):
        text = services.text_initial(actor=head, text=text)
    _sign(people, text, private, people.ua_head)

    def signed(actor, public):
        return [m.label for m in selectors.pulse(actor=actor, process=people.process,
                                                 public=public).timeline if m.kind == "signed"]

    assert signed(people.observer_user, True) == []
    assert signed(people.ru_head, False) == ["Humanitarian pause at Orikhiv · Ukraine"]
    _sign(people, text, private, people.ru_head)
    assert signed(people.observer_user, True) == ["Humanitarian pause at Orikhiv"]
