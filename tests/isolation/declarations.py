"""Every page and every API operation declares who may read it and how it is probed.

The isolation suite walks `django.urls.get_resolver()` and the OpenAPI description; a URL name or
an operation id missing here fails the suite with a message that names it (fail closed). When you
add a page or an operation, add a line here:

- `visibility` is one of `VISIBILITIES` (below);
- `params` maps each URL parameter to the kind of object it names (`KINDS` in
  `tests/isolation/test_isolation.py`), from which the probes take their values: the other party's
  hidden objects, an object every signed-in viewer sees, and one that does not exist. A
  parameter that names no object gives fixed values instead: `{"fmt": ["json", "pdf"]}`.
"""

from dataclasses import dataclass, field

VISIBILITIES = {
    # Anybody, signed in or not; must carry no party's confidential material.
    "public": "anyone, signed in or not",
    # A signed-in person; what each reader sees is decided by need-to-know (own party, shared,
    # public). Actions on objects the reader may not see answer as for a missing object.
    "authenticated-own-party": "signed in; each reader sees own, shared and public material",
    # The secretariat only (and the monitors where said): a party's member gets 403 or 404.
    "secretariat-only": "the secretariat (or the monitors) only",
    # A calendar feed: a session, a bearer token or `?token=`.
    "token-feed": "signed in, by session, bearer token or ?token=",
    # The transparency log's protocol (tiles, checkpoints, witnesses): signed-in members, no
    # party's content (salted commitments only).
    "record-protocol": "the log's protocol for members and witnesses; commitments only",
    # Django's admin: staff only (the secretariat's back office); everyone else is sent to the
    # admin's login.
    "admin": "staff only",
    # Fixed content (health, metrics behind their own token, the API description).
    "static": "no party data",
}


@dataclass(frozen=True)
class Rule:
    visibility: str
    params: dict = field(default_factory=dict)
    # 503 is a true answer here (readiness without a worker), not a server error.
    unavailable_ok: bool = False


R = Rule
AUTH = "authenticated-own-party"
SEC = "secretariat-only"

# URL names (namespace:name) of pages and other non-API views.
PAGES: dict[str, Rule] = {
    # allauth: the sign-in flow and the account's own pages.
    "account_login": R("public"),
    "account_logout": R("public"),
    "account_inactive": R("public"),
    "account_signup": R("public"),
    "account_reauthenticate": R(AUTH),
    "account_request_reauthentication_code": R(AUTH),
    "account_confirm_reauthentication_code": R(AUTH),
    "account_email": R(AUTH),
    "account_email_verification_sent": R("public"),
    "account_change_password": R(AUTH),
    "account_set_password": R(AUTH),
    "account_reset_password": R("public"),
    "account_confirm_login_code": R("public"),
    "account_confirm_email": R("public", {"key": ["not-a-key"]}),
    "account_reset_password_from_key_done": R("public"),
    "account_reset_password_from_key": R("public", {"uidb36": ["1"], "key": ["set-password"]}),
    "account_reset_password_done": R("public"),
    "set_language": R("public"),
    # The API's own description and root.
    "api:openapi-json": R("static"),
    "api:openapi-view": R("static"),
    "api:api-root": R("static"),
    # Operations: `hooks`.
    "healthz": R("static"),
    "readyz": R("static", unavailable_ok=True),
    "metrics": R("static"),
    # The dashboard and the agreements.
    "ui:dashboard": R(AUTH),
    "agreements:calendar": R(AUTH),
    "agreements:map": R(AUTH),
    "agreements:agreement_new": R(AUTH),
    "agreements:agreement_detail": R(AUTH, {"code": "agreement"}),
    "agreements:agreement_counter": R(AUTH, {"code": "agreement"}),
    "agreements:agreement_propose": R(AUTH, {"code": "agreement"}),
    "agreements:agreement_consent": R(AUTH, {"code": "agreement"}),
    "agreements:agreement_suspend": R(AUTH, {"code": "agreement"}),
    "agreements:agreement_resume": R(AUTH, {"code": "agreement"}),
    "agreements:agreement_terminate": R(AUTH, {"code": "agreement"}),
    # Humanitarian access.
    "access:dashboard": R(AUTH),
    "access:movement_new": R(AUTH),
    "access:movement_detail": R(AUTH, {"reference": "movement"}),
    "access:movement_amend": R(AUTH, {"reference": "movement"}),
    "access:movement_check_in": R(AUTH, {"reference": "movement"}),
    "access:movement_acknowledge": R(AUTH, {"reference": "movement"}),
    "access:movement_object": R(AUTH, {"reference": "movement"}),
    "access:movement_override": R(SEC, {"reference": "movement"}),
    "access:movement_withdraw": R(AUTH, {"reference": "movement"}),
    "access:movement_complete": R(AUTH, {"reference": "movement"}),
    "access:movement_impede": R(AUTH, {"reference": "movement"}),
    "access:movement_deny": R(AUTH, {"reference": "movement"}),
    "access:movement_cancel": R(AUTH, {"reference": "movement"}),
    "access:access_terms": R(SEC, {"code": "agreement"}),
    "access:hazard_new": R(SEC),
    "access:hazard_clear": R(SEC, {"reference": "hazard"}),
    "access:site_new": R(AUTH),
    "access:site_amend": R(AUTH, {"reference": "site"}),
    "access:site_withdraw": R(AUTH, {"reference": "site"}),
    # Monitoring.
    "monitoring:dashboard": R(AUTH),
    "monitoring:event_list": R(AUTH),
    "monitoring:events_geojson": R(AUTH),
    "monitoring:events_csv": R(AUTH),
    "monitoring:event_detail": R(AUTH, {"reference": "event"}),
    "monitoring:event_verify": R(SEC, {"reference": "event"}),
    "monitoring:event_account": R(AUTH, {"reference": "event"}),
    "monitoring:settings": R(SEC),
    "monitoring:report": R(SEC),
    "monitoring:import": R(SEC),
    "monitoring:import_detail": R(SEC, {"pk": "import"}),
    "monitoring:evidence": R(AUTH, {"pk": "evidence"}),
    # The talks.
    "talks:home": R(AUTH),
    "talks:process": R(AUTH, {"pk": "process"}),
    "talks:round_add": R(SEC, {"pk": "process"}),
    "talks:text_add": R(SEC, {"pk": "process"}),
    "talks:commitments": R(AUTH, {"pk": "process"}),
    "talks:commitment_add": R(SEC, {"pk": "process"}),
    "talks:pulse": R(AUTH, {"pk": "process"}),
    "talks:pulse_public": R(AUTH, {"pk": "process"}),
    "talks:round": R(AUTH, {"pk": "round"}),
    "talks:session_add": R(SEC, {"pk": "round"}),
    "talks:item_add": R(SEC, {"pk": "round"}),
    "talks:item_table": R(SEC, {"pk": "round"}),
    "talks:communique_draft": R(SEC, {"pk": "round"}),
    "talks:communique_save": R(SEC, {"pk": "round"}),
    "talks:item": R(AUTH, {"pk": "agenda_item"}),
    "talks:item_status": R(SEC, {"pk": "agenda_item"}),
    "talks:position_add": R(AUTH, {"pk": "agenda_item"}),
    "talks:note_add": R(SEC, {"pk": "agenda_item"}),
    "talks:text": R(AUTH, {"pk": "text"}),
    "talks:provision_add": R(SEC, {"pk": "text"}),
    "talks:bracket_add": R(AUTH, {"pk": "text"}),
    "talks:bracket_resolve": R(SEC, {"pk": "text"}),
    "talks:comment_add": R(AUTH, {"pk": "text"}),
    "talks:version_save": R(SEC, {"pk": "text"}),
    "talks:text_diff": R(AUTH, {"pk": "text"}),
    "talks:text_initial": R(AUTH, {"pk": "text"}),
    "talks:key_register": R(AUTH, {"pk": "text"}),
    "talks:text_sign": R(AUTH, {"pk": "text"}),
    "talks:text_export": R(AUTH, {"pk": "text", "fmt": ["json", "md", "xml", "pdf"]}),
    "talks:commitment": R(AUTH, {"pk": "commitment"}),
    "talks:commitment_status": R(SEC, {"pk": "commitment"}),
    "talks:commitment_answer": R(AUTH, {"pk": "commitment"}),
    # The record.
    "record:record": R(AUTH),
    "record:verify": R(AUTH, {"entry_id": "record_entry"}),
    "record:checkpoint": R("record-protocol"),
    "record:tile": R("record-protocol", {"path": ["0/000", "0/x/000", "entries/000"]}),
    "record:add_checkpoint": R("record-protocol"),
    "record:cosignature": R("record-protocol"),
    "record:alarm": R("record-protocol"),
    # Prisoner exchanges.
    "exchanges:index": R(AUTH),
    "exchanges:figures": R(AUTH),
    "exchanges:upload": R(AUTH),
    "exchanges:list": R(AUTH, {"pk": "person_list"}),
    "exchanges:list_csv": R(AUTH, {"pk": "person_list"}),
    "exchanges:person": R(AUTH, {"pk": "person"}),
    "exchanges:reconcile": R(AUTH),
    "exchanges:run": R(AUTH, {"pk": "reconciliation"}),
    "exchanges:pair_decide": R(AUTH, {"pk": "pair"}),
    "exchanges:exchange_new": R(AUTH),
    "exchanges:exchange": R(AUTH, {"code": "exchange"}),
    "exchanges:exchange_act": R(AUTH, {"code": "exchange"}),
    "exchanges:exchange_sign": R(AUTH, {"code": "exchange"}),
    "exchanges:exchange_report": R(AUTH, {"code": "exchange"}),
    "exchanges:exchange_interview": R(AUTH, {"code": "exchange", "person": "person"}),
    "exchanges:exchange_handover": R(AUTH, {"code": "exchange", "person": "person"}),
}

# Django's admin is declared as a whole: every view under the `admin` namespace is staff-only.
NAMESPACES: dict[str, Rule] = {"admin": R("admin")}

# OpenAPI operation ids. The API's own URL patterns (`api:<name>`) are checked against the
# OpenAPI description, so an operation outside it fails too.
OPERATIONS: dict[str, Rule] = {
    "parley_core_api_party_list": R(AUTH),
    "parley_core_api_token_list": R(AUTH),
    "parley_core_api_token_create": R(AUTH),
    "parley_core_api_token_revoke": R(AUTH, {"token_id": "token"}),
    "parley_talks_api_process_list": R(AUTH),
    "parley_talks_api_process_detail": R(AUTH, {"process_id": "process"}),
    "parley_talks_api_round_list": R(AUTH),
    "parley_talks_api_session_list": R(AUTH, {"round_id": "round"}),
    "parley_talks_api_agenda": R(AUTH, {"round_id": "round"}),
    "parley_talks_api_agenda_item_create": R(SEC),
    "parley_talks_api_agenda_item_status": R(SEC, {"item_id": "agenda_item"}),
    "parley_talks_api_positions": R(AUTH, {"item_id": "agenda_item"}),
    "parley_talks_api_position_take": R(AUTH, {"item_id": "agenda_item"}),
    "parley_talks_api_position_detail": R(AUTH, {"position_id": "position"}),
    "parley_talks_api_text_detail": R(AUTH, {"text_id": "text"}),
    "parley_talks_api_bracket_propose": R(AUTH, {"text_id": "text", "number": ["1.1", "9.9"]}),
    "parley_talks_api_bracket_resolve": R(SEC, {"text_id": "text", "number": ["1.1", "9.9"]}),
    "parley_talks_api_text_initial": R(AUTH, {"text_id": "text"}),
    "parley_talks_api_signing_key_register": R(AUTH),
    "parley_talks_api_text_sign": R(AUTH, {"text_id": "text"}),
    "parley_talks_api_text_export": R(AUTH, {"text_id": "text"}),
    "parley_talks_api_commitment_list": R(AUTH),
    "parley_talks_api_commitment_detail": R(AUTH, {"commitment_id": "commitment"}),
    "parley_talks_api_commitment_status": R(SEC, {"commitment_id": "commitment"}),
    "parley_talks_api_commitment_answer": R(AUTH, {"commitment_id": "commitment"}),
    "parley_talks_api_pulse": R(AUTH, {"process_id": "process"}),
    "parley_agreements_api_agreement_list": R(AUTH),
    "parley_agreements_api_agreement_create": R(AUTH),
    "parley_agreements_api_agreement_detail": R(AUTH, {"code": "agreement"}),
    "parley_agreements_api_agreement_update": R(AUTH, {"code": "agreement"}),
    "parley_agreements_api_agreement_propose": R(AUTH, {"code": "agreement"}),
    "parley_agreements_api_agreement_counter": R(AUTH, {"code": "agreement"}),
    "parley_agreements_api_agreement_consent": R(AUTH, {"code": "agreement"}),
    "parley_agreements_api_agreement_suspend": R(AUTH, {"code": "agreement"}),
    "parley_agreements_api_agreement_resume": R(AUTH, {"code": "agreement"}),
    "parley_agreements_api_agreement_terminate": R(AUTH, {"code": "agreement"}),
    "parley_agreements_api_agreement_versions": R(AUTH, {"code": "agreement"}),
    "parley_agreements_api_agreement_audit": R(AUTH, {"code": "agreement"}),
    "parley_agreements_api_agreement_areas": R(AUTH, {"code": "agreement"}),
    "parley_agreements_api_agreement_areas_kml": R(AUTH, {"code": "agreement"}),
    "parley_agreements_api_agreement_windows_ics": R("token-feed", {"code": "agreement"}),
    "parley_agreements_api_calendar_ics": R("token-feed"),
    "parley_access_api_movement_list": R(AUTH),
    "parley_access_api_movement_notify": R(AUTH),
    "parley_access_api_movement_detail": R(AUTH, {"reference": "movement"}),
    "parley_access_api_movement_route": R(AUTH, {"reference": "movement"}),
    "parley_access_api_movement_route_kml": R(AUTH, {"reference": "movement"}),
    "parley_access_api_movement_amend": R(AUTH, {"reference": "movement"}),
    "parley_access_api_movement_override": R(SEC, {"reference": "movement"}),
    "parley_access_api_movement_acknowledge": R(AUTH, {"reference": "movement"}),
    "parley_access_api_movement_object": R(AUTH, {"reference": "movement"}),
    "parley_access_api_movement_check_in": R(AUTH, {"reference": "movement"}),
    "parley_access_api_movement_complete": R(AUTH, {"reference": "movement"}),
    "parley_access_api_movement_withdraw": R(AUTH, {"reference": "movement"}),
    "parley_access_api_movement_impede": R(AUTH, {"reference": "movement"}),
    "parley_access_api_movement_deny": R(AUTH, {"reference": "movement"}),
    "parley_access_api_movement_cancel": R(AUTH, {"reference": "movement"}),
    "parley_access_api_movement_coordinate_views": R(AUTH, {"reference": "movement"}),
    "parley_access_api_overdue": R(AUTH),
    "parley_access_api_latency": R(AUTH),
    "parley_access_api_summary": R(AUTH),
    "parley_access_api_access_terms_set": R(SEC, {"code": "agreement"}),
    "parley_access_api_access_terms_get": R(AUTH, {"code": "agreement"}),
    "parley_access_api_site_list": R(AUTH),
    "parley_access_api_site_notify": R(AUTH),
    "parley_access_api_sites_geojson": R(AUTH),
    "parley_access_api_site_detail": R(AUTH, {"reference": "site"}),
    "parley_access_api_site_amend": R(AUTH, {"reference": "site"}),
    "parley_access_api_site_withdraw": R(AUTH, {"reference": "site"}),
    "parley_access_api_notification_list": R(AUTH),
    "parley_access_api_webhook_list": R(AUTH),
    "parley_access_api_webhook_create": R(AUTH),
    "parley_access_api_webhook_deliveries": R(AUTH, {"webhook_id": "webhook"}),
    "parley_access_api_windows_ics": R("token-feed"),
    "parley_access_api_agreement_cap": R(AUTH, {"code": "agreement"}),
    "parley_access_api_movement_cap": R(AUTH, {"reference": "movement"}),
    "parley_access_api_hazard_list": R(AUTH),
    "parley_access_api_hazard_report": R(SEC),
    "parley_access_api_hazards_geojson": R(AUTH),
    "parley_access_api_hazard_clear": R(SEC, {"reference": "hazard"}),
    "parley_monitoring_api_incidents_ingest": R(SEC),
    "parley_monitoring_api_incident_list": R(AUTH),
    "parley_monitoring_api_import_file": R(SEC),
    "parley_monitoring_api_import_detail": R(SEC, {"pk": "import"}),
    "parley_monitoring_api_event_list": R(AUTH),
    "parley_monitoring_api_events_geojson": R(AUTH),
    "parley_monitoring_api_events_csv": R(AUTH),
    "parley_monitoring_api_event_detail": R(AUTH, {"reference": "event"}),
    "parley_monitoring_api_event_start_review": R(SEC, {"reference": "event"}),
    "parley_monitoring_api_event_confirm": R(SEC, {"reference": "event"}),
    "parley_monitoring_api_event_dismiss": R(SEC, {"reference": "event"}),
    "parley_monitoring_api_event_mark_unverifiable": R(SEC, {"reference": "event"}),
    "parley_monitoring_api_event_account": R(AUTH, {"reference": "event"}),
    "parley_monitoring_api_site_alerts": R(AUTH),
    "parley_record_api_checkpoint": R("record-protocol"),
    "parley_record_api_entry_proof": R(AUTH, {"entry_id": "record_entry"}),
    "parley_exchanges_api_lists": R(AUTH),
    "parley_exchanges_api_upload": R(AUTH),
    "parley_exchanges_api_persons": R(AUTH, {"list_id": "person_list"}),
    "parley_exchanges_api_correct": R(AUTH, {"person_id": "person"}),
    "parley_exchanges_api_figures": R(AUTH),
    "parley_exchanges_api_reconcile": R(AUTH),
    "parley_exchanges_api_pairs": R(AUTH, {"run_id": "reconciliation"}),
    "parley_exchanges_api_decide": R(AUTH, {"pair_id": "pair"}),
    "parley_exchanges_api_exchange": R(AUTH, {"code": "exchange"}),
}
