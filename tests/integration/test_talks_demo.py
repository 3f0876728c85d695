"""The demo's talks: days one and two of Geneva with the article's agenda, a confidential red
line on each side, the pause text bracketed, resolved and signed by both heads with keys kept in
the var directory, and commitments with one met and one late."""

import io
import json

import pytest

from parley import demo
from parley.audit.models import AuditEntry
from parley.core.models import User
from parley.demo.talks import RU_RED_LINE, UA_RED_LINE, demo_key_path
from parley.engines import textsign
from parley.talks import selectors
from parley.talks.models import AgendaItem, Commitment, DraftText, Position

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_the_demo_talks_carry_days_one_and_two(demo_scenario):
    demo.load(stdout=io.StringIO())  # a second load (the first is the module's) changes nothing
    users = {u.username: u for u in User.objects.all()}

    assert list(AgendaItem.objects.values_list("topic", "status")) == [
        ("pauses", "agreed"), ("exchanges", "discussion"), ("ceasefires", "in_principle"),
        ("access", "open")]
    assert sorted(AgendaItem.objects.first().rounds.values_list("name", flat=True)) == [
        "Day 1", "Day 2"]
    assert Position.objects.filter(kind="red_line", visibility="own").count() == 2
    seen_by_ru = {p.text for p in selectors.visible_positions(actor=users["ru-head"])}
    seen_by_ua = {p.text for p in selectors.visible_positions(actor=users["ua-head"])}
    assert RU_RED_LINE in seen_by_ru and UA_RED_LINE not in seen_by_ru
    assert UA_RED_LINE in seen_by_ua and RU_RED_LINE not in seen_by_ua

    text = DraftText.objects.get()
    assert text.status == DraftText.Status.SIGNED
    assert [v.round.name for v in text.versions.all()] == ["Day 1", "Day 2"]
    export = selectors.text_export(text)
    assert textsign.verify_export(json.loads(json.dumps(export))).ok
    assert sorted(s["party"] for s in export["signatures"]) == ["russia", "ukraine"]
    assert demo_key_path("ukraine").exists() and demo_key_path("russia").exists()
    assert b"PRIVATE KEY" not in json.dumps(
        list(AuditEntry.objects.values_list("after", flat=True))).encode()

    assert sorted(Commitment.objects.values_list("status", flat=True)) == [
        "late", "met", "pending"]
