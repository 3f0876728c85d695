"""The record as a transparency log, on the demo: every audit entry is in the log, the export
verifies and is rejected after tampering, a witness's saved checkpoint exposes a rewrite even
under a validly re-signed checkpoint, a party's export holds only the openings it may see (with
a second party whose openings must not appear), and the HTTP exchange of `parley witness`."""

import json
from pathlib import Path

import pytest
from django.db import connection

from parley.agreements.models import Agreement
from parley.audit.models import AuditEntry, LogEntry
from parley.audit.services import audit_append, log_backfill
from parley.core.models import Party
from parley.core.services import api_token_create
from parley.engines.ledger import verify as verifier
from parley.engines.ledger.cli import run_command
from parley.engines.ledger.note import SIG_COSIGNATURE_V1, Signer
from parley.engines.ledger.tiles import decode_bundle, encode_bundle, index_path, tiles_for
from parley.record import jobs, keys, services, tree
from parley.record.cli import export_command
from parley.record.models import Checkpoint, Witness

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def scenario(demo_scenario):
    # The demo is loaded once for the module (tests/conftest.py); each test rolls back its own.
    return demo_scenario


def export(directory: Path, username: str) -> Path:
    assert export_command(directory=directory, username=username) == 0
    return directory


def opened_entries(directory: Path) -> set[int]:
    return {int(p.name) for p in (directory / "openings").iterdir()}


def seqs_about(obj) -> set[int]:
    return set(LogEntry.objects.filter(audit_entry__object_type=obj._meta.label_lower,
                                       audit_entry__object_id=str(obj.pk))
               .values_list("seq", flat=True))


def test_every_state_change_of_the_demo_is_in_the_log_and_cosigned(scenario, tmp_path):
    assert LogEntry.objects.count() == AuditEntry.objects.count() > 40
    assert sorted(LogEntry.objects.values_list("seq", flat=True)) == list(
        range(LogEntry.objects.count()))
    checkpoint = Checkpoint.objects.get()
    assert checkpoint.size == LogEntry.objects.count()
    assert sorted(c.witness.party.slug for c in checkpoint.cosignatures.all()) == [
        "russia", "ukraine"]
    directory = export(tmp_path / "ua", "ua-head")
    report = verifier.verify(directory)
    assert report[1:3] == [f"cosigned by {p} at {c.cosigned_at.timestamp():.0f} (Unix time)"
                           for p, c in sorted((c.witness.party.slug, c)
                                              for c in checkpoint.cosignatures.all())]
    assert verifier.main([str(directory)]) == 0


def test_an_entry_appended_later_lands_in_the_next_checkpoint(scenario):
    first = Checkpoint.objects.get()
    agreement = Agreement.objects.first()
    audit_append(actor=scenario["secretariat"], action="agreement.note", obj=agreement,
                 note="a later note")
    assert LogEntry.objects.count() == first.size + 1
    jobs.publish_and_witness()
    latest = Checkpoint.objects.order_by("-size").first()
    assert latest.size == first.size + 1
    assert Witness.objects.get(party__slug="ukraine").last_cosigned_size == latest.size


def test_audit_entries_written_before_the_log_are_backfilled(scenario):
    size = LogEntry.objects.count()
    entry = AuditEntry(action="legacy.entry", object_type="core.party", object_id="1")
    entry.save()
    assert log_backfill() == 1
    assert LogEntry.objects.get(audit_entry=entry).seq == size


def _rewrite_bundle(directory: Path, change) -> None:
    bundle = next((directory / "tile" / "entries").rglob("*"))
    while bundle.is_dir():
        bundle = next(bundle.iterdir())
    bundle.write_bytes(encode_bundle(change(decode_bundle(bundle.read_bytes()))))


@pytest.mark.parametrize("change", [
    pytest.param(lambda e: [e[0].replace(b'"seq":0', b'"seq":1'), *e[1:]], id="changed byte"),
    pytest.param(lambda e: [e[0], *e[2:]], id="deleted entry"),
    pytest.param(lambda e: [e[1], e[0], *e[2:]], id="two swapped"),
    pytest.param(lambda e: e[:-3], id="last dropped"),
    pytest.param(lambda e: [e[0], e[1][:-70] + b"0" * 64 + e[1][-6:], *e[2:]],
                 id="same-length replacement"),
])
def test_the_demo_export_is_rejected_after_any_tampering(scenario, tmp_path, change):
    directory = export(tmp_path / "ua", "ua-head")
    _rewrite_bundle(directory, change)
    assert verifier.main([str(directory)]) == 1


def test_a_witness_saved_checkpoint_exposes_a_rewrite_under_a_resigned_checkpoint(
        scenario, tmp_path, settings):
    state = json.loads((Path(settings.RECORD_LOCAL_WITNESSES) / "ukraine/state.json").read_text())
    saved = tmp_path / "ukraine-saw"
    saved.write_text(state["checkpoint"])

    # The host rewrites entry 3 behind the application's back, appends, and signs anew.
    victim = LogEntry.objects.get(seq=3)
    forged = bytes(victim.entry).replace(b'"commitment":"', b'"commitment":"0', 1)
    forged = forged[:forged.index(b'","seq"') - 1] + forged[forged.index(b'","seq"'):]
    from parley.engines.ledger.merkle import leaf_hash

    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_logentry SET entry = %s, leaf_hash = %s WHERE seq = 3",
                       [forged, leaf_hash(forged)])
    tree.forget()  # the host restarts the server on the rewritten database
    audit_append(actor=scenario["secretariat"], action="agreement.note",
                 obj=Agreement.objects.first(), note="after the rewrite")
    jobs.publish_and_witness()

    alarmed = Witness.objects.get(party__slug="ukraine")
    assert alarmed.alarm.startswith("rewrite: the tree of size")
    assert AuditEntry.objects.filter(action="record.witness_alarm").count() == 2
    directory = tmp_path / "after"
    # The opening of entry 3 no longer matches: the export's own check already fails ...
    assert export_command(directory=directory, username="secretariat") == 1
    # ... so the host leaves that opening out; the log then verifies on its own, and only the
    # checkpoint the witness saved exposes the rewrite.
    (directory / "openings" / "3").unlink()
    assert verifier.verify(directory)[0].endswith("signed by the log key")
    with pytest.raises(verifier.Invalid, match="the log was rewritten"):
        verifier.verify(directory, saved)
    assert verifier.main([str(directory), "--since", str(saved)]) == 1


def test_a_party_export_opens_only_what_that_party_may_see(scenario, tmp_path):
    draft = Agreement.objects.get(code="HP-2026-003")
    assert draft.status == Agreement.Status.DRAFT
    draft_entries = seqs_about(draft)
    assert draft_entries
    ukraine = opened_entries(export(tmp_path / "ua", "ua-head"))
    russia = opened_entries(export(tmp_path / "ru", "ru-head"))
    assert draft_entries <= ukraine
    assert draft_entries.isdisjoint(russia)
    token_entry = seqs_about(api_token_create(actor=scenario["ru-head"], name="laptop")[0])
    jobs.publish_and_witness()
    assert token_entry.isdisjoint(opened_entries(export(tmp_path / "ua2", "ua-head")))
    assert token_entry.isdisjoint(opened_entries(export(tmp_path / "ru2", "ru-head")))
    # Every party's export has the same log: only the openings differ.
    assert (tmp_path / "ua/checkpoint").read_bytes() == (tmp_path / "ru/checkpoint").read_bytes()


def test_the_log_is_served_to_party_members_only(scenario, client):
    size = Checkpoint.objects.get().size
    assert client.get("/record/log/checkpoint").status_code == 404
    client.force_login(scenario["ru-delegate"])
    note = client.get("/record/log/checkpoint")
    assert note.status_code == 200
    assert note.content.split(b"\n")[1] == str(size).encode()
    # The demo's log spans more than one tile of 256: every tile of level 0 and every entry
    # bundle the checkpoint's size implies is served, and together they are the whole log.
    refs = list(tiles_for(size))
    bundles = [client.get(f"/record/log/{ref.path}") for ref in refs if ref.is_entries]
    assert [answer.status_code for answer in bundles] == [200] * len(bundles)
    assert sum(len(decode_bundle(answer.content)) for answer in bundles) == size
    level0 = b"".join(client.get(f"/record/log/{ref.path}").content
                      for ref in refs if ref.level == 0)
    assert level0 == b"".join(
        bytes(h) for h in LogEntry.objects.order_by("seq").values_list("leaf_hash", flat=True))
    last = [ref for ref in refs if ref.level == 0][-1]
    beyond = f"tile/0/{index_path(last.index)}.p/{last.width + 1}"
    if last.width + 1 < 256:
        assert client.get(f"/record/log/{beyond}").status_code == 404
    assert client.get("/record/log/tile/0/1234").status_code == 404


def test_the_record_page_and_the_verify_page(scenario, client):
    draft_entry = AuditEntry.objects.filter(object_type="agreements.agreement",
                                            object_id=str(Agreement.objects.get(
                                                code="HP-2026-003").pk)).first()
    client.force_login(scenario["ua-head"])
    page = client.get("/record/").content.decode()
    assert f'<dd id="checkpoint-size">{Checkpoint.objects.get().size}</dd>' in page
    assert "The witness of" not in page
    verify_page = client.get(f"/record/entries/{draft_entry.pk}/").content.decode()
    assert "Verified: this entry is in the log" in verify_page
    client.force_login(scenario["ru-head"])
    assert client.get(f"/record/entries/{draft_entry.pk}/").status_code == 404


def test_a_silent_witness_is_shown(scenario, client, settings):
    settings.RECORD_WITNESS_SILENCE_S = 0
    client.force_login(scenario["ru-head"])
    page = client.get("/record/").content.decode()
    assert 'id="silent-russia"' in page
    assert 'id="silent-ukraine"' in page


def test_parley_witness_cosigns_over_http_and_raises_the_alarm_on_a_fork(
        scenario, client, tmp_path, settings):
    icrc = Party.objects.get(slug="icrc")
    signer = Signer.generate("witness.icrc.example/parley", SIG_COSIGNATURE_V1)
    key = tmp_path / "icrc.key"
    key.write_text(signer.to_file_text())
    (Path(settings.RECORD_WITNESS_KEYS) / "icrc.vkey").write_text(signer.verifier.vkey)
    services.witnesses_sync()
    log_key = tmp_path / "log.vkey"
    log_key.write_text(keys.log_verifier().vkey)
    _, raw = api_token_create(actor=scenario["icrc"], name="witness", scope="write")

    def fetch(url, token, data=None):
        path = url.removeprefix("https://parley.test")
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        response = (client.get(path, **headers) if data is None else
                    client.post(path, data, content_type="text/plain", **headers))
        assert response.status_code in (200, 204), response.content
        return response.content

    state = tmp_path / "icrc-state.json"
    assert run_command(server="https://parley.test", key=key, state_path=state,
                       log_key=log_key, token=raw, fetch=fetch) == 0
    checkpoint = Checkpoint.objects.get()
    assert checkpoint.cosignatures.filter(witness__party=icrc).exists()
    assert json.loads(state.read_text())["size"] == checkpoint.size

    # A fork: another history of the same size, validly signed by the log key.
    other = Signer.generate("x", SIG_COSIGNATURE_V1)
    forged_root = other.verifier.public_key
    from parley.engines.ledger.note import Checkpoint as Text

    Checkpoint.objects.all().delete()
    Checkpoint.objects.create(size=checkpoint.size, root=forged_root,
                              note=keys.log_signer().sign(
                                  Text(keys.origin(), checkpoint.size, forged_root).text).decode())
    assert run_command(server="https://parley.test", key=key, state_path=state,
                       log_key=log_key, token=raw, fetch=fetch) == 3
    assert Witness.objects.get(party=icrc).alarm.startswith("fork:")
    client.force_login(scenario["ua-head"])
    assert 'id="alarm-icrc"' in client.get("/record/").content.decode()


def test_an_alarmed_witness_stops_until_the_secretariat_clears_its_alarm(scenario, capsys):
    from parley.record.cli import clear_alarm_command

    ukraine = Party.objects.get(slug="ukraine")
    services.witness_alarm_raise(actor=None, party=ukraine, message="fork: test")
    services.witness_alarm_raise(actor=None, party=ukraine, message="fork: test again")
    assert AuditEntry.objects.filter(action="record.witness_alarm").count() == 1
    assert "stopped by its alarm" in jobs.publish_and_witness()
    assert clear_alarm_command(party_slug="ukraine", username="ua-head") == 2
    assert clear_alarm_command(party_slug="ukraine", username="secretariat") == 0
    assert Witness.objects.get(party=ukraine).alarm == ""
    assert jobs.publish_and_witness().endswith("'ukraine': 'cosigned "
                                                f"{Checkpoint.objects.latest().size}'}}")


def test_the_api_gives_the_checkpoint_and_an_entry_proof_to_whom_may_see_it(scenario, client):
    from parley.engines.ledger.merkle import verify_inclusion

    _, raw = api_token_create(actor=scenario["ua-head"], name="api")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    checkpoint = client.get("/api/record/checkpoint", **headers).json()
    assert checkpoint["size"] == Checkpoint.objects.get().size
    assert sorted(c["party"] for c in checkpoint["cosignatures"]) == ["russia", "ukraine"]
    draft_entry = AuditEntry.objects.filter(
        object_type="agreements.agreement",
        object_id=str(Agreement.objects.get(code="HP-2026-003").pk)).first()
    proof = client.get(f"/api/record/entries/{draft_entry.pk}/proof", **headers).json()
    assert proof["verified"] is True
    assert proof["content"]["id"] == draft_entry.pk
    import base64
    import hashlib

    leaf = hashlib.sha256(b"\x00" + proof["entry"].encode()).digest()
    assert verify_inclusion(leaf, proof["seq"], proof["checkpoint_size"],
                            [bytes.fromhex(h) for h in proof["inclusion_proof"]],
                            base64.b64decode(checkpoint["root"])) is True
    _, other = api_token_create(actor=scenario["ru-head"], name="api")
    assert client.get(f"/api/record/entries/{draft_entry.pk}/proof",
                      HTTP_AUTHORIZATION=f"Bearer {other}").status_code == 404
    assert client.get("/api/record/checkpoint").status_code == 401
