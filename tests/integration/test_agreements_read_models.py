"""The API reads agreements as columns (`agreement_summary_list`, `agreement_detail_get`,
`agreement_areas_get`), pages as loaded models (`agreement_list`, `agreement_get`): for every
demo user and every agreement the two say the same."""

import pytest
from django.utils import timezone

from parley.agreements.rules import UNDER_NEGOTIATION
from parley.agreements.selectors import (
    PHASES,
    VersionSummary,
    agreement_areas_geojson,
    agreement_areas_get,
    agreement_detail_get,
    agreement_list,
    agreement_phase,
    agreement_summary_list,
    agreement_versions,
    parties_yet_to_consent,
    version_detail,
)
from parley.core.models import User

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

USERS = ("secretariat", "ua-head", "ua-delegate", "ru-head", "ru-delegate", "icrc", "wfp",
         "monitor", "observer")


def test_the_read_models_say_what_the_loaded_agreements_say(demo_scenario):
    now = timezone.now()
    for username in USERS:
        actor = User.objects.select_related("party").get(username=username)
        loaded = agreement_list(actor=actor)
        summaries = agreement_summary_list(actor=actor)
        assert [summary.code for summary in summaries] == [a.code for a in loaded], username
        for agreement, summary in zip(loaded, summaries, strict=True):
            current = agreement.current_version
            assert (summary.kind, summary.title, summary.process, summary.round, summary.owner,
                    summary.status, summary.purpose, summary.bound_parties, summary.public,
                    summary.version, summary.updated_at, summary.phase_at(now)) == (
                agreement.kind, agreement.title, agreement.process_id, agreement.round_id,
                agreement.owner.slug, agreement.status, agreement.purpose,
                sorted(party.slug for party in agreement.bound_parties.all()), agreement.public,
                current.number if current else None, agreement.updated_at,
                agreement_phase(agreement, now)), (username, agreement.code)
            detail = agreement_detail_get(actor=actor, code=agreement.code)
            awaiting = ([party.slug for party in parties_yet_to_consent(agreement)]
                        if agreement.status in UNDER_NEGOTIATION else [])
            assert detail.awaiting_consent_from == awaiting
            assert (detail.status_reason, detail.created_at) == (agreement.status_reason,
                                                                 agreement.created_at)
            assert detail.current_version == (version_detail(current) if current else None)
            assert detail.versions == [
                VersionSummary(number=v.number, created_by=v.created_by.username,
                               created_at=v.created_at, note=v.note)
                for v in agreement_versions(actor=actor, agreement=agreement)]
            assert agreement_areas_get(actor=actor, code=agreement.code) == (
                agreement_areas_geojson(agreement))
        for phase in PHASES:
            assert [s.code for s in agreement_summary_list(actor=actor, phase=phase, now=now)] == [
                a.code for a in agreement_list(actor=actor, phase=phase, now=now)], phase
