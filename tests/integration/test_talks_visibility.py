"""Need-to-know in the talks: a party's confidential red line never reaches the other side, nor
anyone it was not shared with — in the selectors, the audit trail, the text and its diff, the
export and the commitments. Each test has a second party whose data could leak."""

import datetime
import json

import pytest

from parley.audit.models import AuditEntry
from parley.core.errors import NotFound
from parley.talks import selectors, services
from parley.talks.models import Visibility
from tests.factories import cast
from tests.factories.talks import pause_text

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

UA_RED_LINE = "No pause without the return of deported children."
RU_RED_LINE = "No monitors from NATO states."


def _agenda(people):
    item = services.agenda_item_create(actor=people.secretariat, round=people.day1,
                                       title="Humanitarian pauses", topic="pauses")
    services.position_take(actor=people.ua_delegate, item=item, round=people.day1,
                           kind="red_line", text=UA_RED_LINE, visibility=Visibility.OWN)
    services.position_take(actor=people.ru_delegate, item=item, round=people.day1,
                           kind="red_line", text=RU_RED_LINE, visibility=Visibility.MEDIATOR)
    services.position_take(actor=people.ua_head, item=item, round=people.day1, kind="demand",
                           text="A daily four-hour pause.", visibility=Visibility.PARTIES)
    services.position_take(actor=people.ru_head, item=item, round=people.day1, kind="offer",
                           text="A weekly pause.", visibility=Visibility.PUBLIC)
    services.mediator_note_add(actor=people.secretariat, item=item, round=people.day1,
                               text="Both sides will move on hours, not on monitors.")
    return item


def _texts(people, item):
    return sorted(p.text for p in selectors.positions(actor=people, item=item))


def test_each_reader_sees_exactly_the_positions_shared_with_it():
    people = cast()
    item = _agenda(people)
    assert _texts(people.ru_head, item) == ["A daily four-hour pause.", "A weekly pause.",
                                            RU_RED_LINE]
    assert _texts(people.ua_delegate, item) == ["A daily four-hour pause.", "A weekly pause.",
                                                UA_RED_LINE]
    assert _texts(people.secretariat, item) == ["A daily four-hour pause.", "A weekly pause.",
                                                RU_RED_LINE]
    assert _texts(people.observer_user, item) == ["A weekly pause."]
    assert _texts(people.icrc_liaison, item) == ["A weekly pause."]


def test_a_hidden_position_is_not_found_by_its_id():
    people = cast()
    item = _agenda(people)
    ua_line = item.positions.get(kind="red_line", party=people.ukraine)
    assert selectors.position_get(actor=people.ua_head, pk=ua_line.pk) == ua_line
    for outsider in (people.ru_head, people.secretariat, people.observer_user):
        with pytest.raises(NotFound):
            selectors.position_get(actor=outsider, pk=ua_line.pk)


def test_the_audit_trail_carries_no_wording_and_lists_only_readable_positions():
    people = cast()
    item = _agenda(people)
    for entry in AuditEntry.objects.all():
        dumped = json.dumps([entry.before, entry.after, entry.note], ensure_ascii=False)
        assert UA_RED_LINE not in dumped and RU_RED_LINE not in dumped
    ru_trail = selectors.item_audit_trail(actor=people.ru_head, item=item)
    ua_line = item.positions.get(kind="red_line", party=people.ukraine)
    assert str(ua_line.pk) not in {e.object_id for e in ru_trail
                                   if e.object_type == "talks.position"}
    assert [e.action for e in ru_trail] == ["agenda_item.create", "position.take",
                                            "position.take", "position.take"]


def test_the_mediators_notes_are_the_secretariats_alone():
    people = cast()
    item = _agenda(people)
    assert [n.text for n in selectors.mediator_notes(actor=people.secretariat, item=item)] == [
        "Both sides will move on hours, not on monitors."]
    for reader in (people.ua_head, people.ru_head, people.observer_user):
        assert selectors.mediator_notes(actor=reader, item=item) == []
        assert "talks.mediatornote" not in {
            e.object_type for e in selectors.item_audit_trail(actor=reader, item=item)}


def test_history_shows_who_moved_and_who_did_not():
    people = cast()
    item = _agenda(people)
    day2 = services.round_create(actor=people.secretariat, process=people.process,
                                 name="Day 2", date=datetime.date(2026, 2, 24))
    services.agenda_item_table(actor=people.secretariat, item=item, round=day2)
    services.position_take(actor=people.ua_head, item=item, round=day2, kind="demand",
                           text="A daily three-hour pause.", visibility=Visibility.PARTIES)
    services.position_take(actor=people.ru_head, item=item, round=day2, kind="offer",
                           text="A weekly pause.", visibility=Visibility.PUBLIC)
    seen = {(h.party.slug, h.kind): [s.moved for s in h.stances]
            for h in selectors.position_history(actor=people.ru_head, item=item)}
    assert seen == {("russia", "offer"): [None, False], ("russia", "red_line"): [None],
                    ("ukraine", "demand"): [None, True]}


def test_comments_follow_their_visibility_and_observers_see_no_unsigned_text():
    people = cast()
    text = pause_text(people)
    provision = text.provisions.get(article=2)
    services.comment_add(actor=people.ua_delegate, provision=provision,
                         text="Our fallback is three hours.", visibility=Visibility.OWN)
    services.comment_add(actor=people.ru_delegate, provision=provision,
                         text="Hours count from 10:00 Moscow.", visibility=Visibility.PARTIES)

    def comments(actor):
        return [c.text for view in selectors.text_provisions(actor=actor, text=text)
                for c in view.comments]
    assert comments(people.ru_head) == ["Hours count from 10:00 Moscow."]
    assert comments(people.ua_head) == ["Our fallback is three hours.",
                                        "Hours count from 10:00 Moscow."]
    assert comments(people.secretariat) == ["Hours count from 10:00 Moscow."]
    for outsider in (people.observer_user, people.icrc_liaison, people.monitor_user):
        with pytest.raises(NotFound):
            selectors.text_get(actor=outsider, pk=text.pk)
    assert "Our fallback" not in json.dumps(selectors.text_export(text))


def test_commitments_are_for_the_table_and_the_monitors():
    people = cast()
    commitment = services.commitment_create(
        actor=people.secretariat, process=people.process, party=people.russia,
        what="Open the Vasylivka checkpoint.", verification="Monitors at the checkpoint.",
        due_at=datetime.datetime(2026, 3, 1, 10, tzinfo=datetime.UTC))
    for reader in (people.ua_head, people.ru_delegate, people.secretariat, people.monitor_user):
        assert selectors.commitment_get(actor=reader, pk=commitment.pk) == commitment
    for outsider in (people.observer_user, people.icrc_liaison):
        with pytest.raises(NotFound):
            selectors.commitment_get(actor=outsider, pk=commitment.pk)


def test_the_public_pulse_names_no_party():
    people = cast()
    _agenda(people)
    services.commitment_create(
        actor=people.secretariat, process=people.process, party=people.russia,
        what="Open the Vasylivka checkpoint.", verification="Monitors.",
        due_at=datetime.datetime(2026, 3, 1, 10, tzinfo=datetime.UTC))
    full = selectors.pulse(actor=people.ua_head, process=people.process)
    public = selectors.pulse(actor=people.observer_user, process=people.process)
    assert list(full.commitments) == ["Russian Federation"]
    assert [m.label for m in public.timeline if m.kind in ("met", "late", "signed")] == []
    assert list(public.commitments) == [""]
    assert public.commitments[""]["pending"] == 1


def test_the_admins_audit_log_hides_entries_about_positions_the_reader_may_not_read(rf):
    from django.contrib.admin.sites import site

    people = cast()
    item = _agenda(people)
    admin = site._registry[AuditEntry]

    def listed(user):
        request = rf.get("/admin/audit/auditentry/")
        request.user = user
        return {(e.object_type, e.object_id) for e in admin.get_queryset(request)
                if e.object_type in ("talks.position", "talks.mediatornote")}

    ua_line = item.positions.get(kind="red_line", party=people.ukraine)
    ru_line = item.positions.get(kind="red_line", party=people.russia)
    note = item.mediator_notes.get()
    assert ("talks.position", str(ua_line.pk)) not in listed(people.secretariat)
    assert ("talks.position", str(ru_line.pk)) in listed(people.secretariat)
    assert ("talks.mediatornote", str(note.pk)) in listed(people.secretariat)
    assert ("talks.mediatornote", str(note.pk)) not in listed(people.ua_head)
    assert ("talks.position", str(ru_line.pk)) not in listed(people.ua_head)
