"""A negotiating text in a known state, built through the services."""

from parley.agreements.models import Agreement
from parley.engines import textsign
from parley.talks import services
from tests.factories import AgreementFactory

PAUSE_WINDOW = {"start": "2026-03-01T08:00:00+02:00", "end": "2026-03-01T12:00:00+02:00"}


def pause_text(people, *, code="HP-2026-020", resolved=False):
    """A pause agreement under negotiation and its text: article 1 agreed, article 2 in
    brackets (Ukraine: four hours, Russia: three hours)."""
    agreement = AgreementFactory(code=code, title="Orikhiv pause", owner=people.mediator,
                                 process=people.process, status=Agreement.Status.PROPOSED,
                                 version__windows=[dict(PAUSE_WINDOW)])
    text = services.text_create(actor=people.secretariat, agreement=agreement,
                                title="Humanitarian pause at Orikhiv")
    services.provision_add(actor=people.secretariat, text=text, article=1, paragraph=1,
                           body="The parties pause all fire in the agreed area.")
    duration = services.provision_add(actor=people.secretariat, text=text, article=2,
                                      paragraph=1, terms="window_hours")
    ua = services.bracket_propose(actor=people.ua_delegate, provision=duration,
                                  wording="The pause lasts four hours each day.",
                                  round=people.day1)
    services.bracket_propose(actor=people.ru_delegate, provision=duration,
                             wording="The pause lasts three hours each day.", round=people.day1)
    if resolved:
        services.bracket_resolve(actor=people.secretariat, provision=duration, bracket=ua)
    return text


def keys(tmp_path, people):
    """A registered key for each head; the private keys stay in files, as a delegation's do."""
    private = {}
    for head in (people.ua_head, people.ru_head):
        pem = textsign.generate_private_key_pem()
        path = tmp_path / f"{head.username}.pem"
        path.write_bytes(pem)
        key = textsign.load_private_key(pem)
        services.signing_key_register(actor=head, public_key=textsign.public_key_b64(key))
        private[head.username] = path
    return private
