"""Background work of monitoring: thin tasks that take ids, re-fetch and re-check.

The queued import (`services.imports.import_run`) lives with the import services, which enqueue
it. A site alert tells the
organisation whose notified site an incident came near: an in-app notification and an e-mail
to each of its people, once per alert (an alert claimed as announced is never announced again,
also after the alerts are recomputed). The notices are addressed in the classification's own
transaction (`announce_on_commit`); `mail_site_notices` e-mails exactly those after the commit.
"""

import logging

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext

from parley.core.models import User
from parley.core.types import existing
from parley.monitoring.models import SiteAlert

logger = logging.getLogger(__name__)


def _claim_alerts(classification_run_id: int) -> list[SiteAlert]:
    with transaction.atomic():
        alerts = list(SiteAlert.objects.select_for_update(of=("self",))
                      .select_related("site", "incident__source")
                      .filter(run_id=classification_run_id, notified_at__isnull=True)
                      .order_by("site_id", "incident__time_start", "pk"))
        SiteAlert.objects.filter(pk__in=[alert.pk for alert in alerts]).update(
            notified_at=timezone.now())
    return alerts


def address_site_alerts(classification_run_id: int) -> list[int]:
    """Store the notices of the run's new alerts, addressed now: to the people of each site's
    organisation as it stands in this transaction (docs/security.md, "History"). Called in the
    classification's transaction; returns the notices to e-mail after the commit."""
    from parley.access.models import Notification

    alerts = _claim_alerts(classification_run_id)
    notices = []
    # The texts are those of the site's language, whoever's request caused the run.
    with translation.override(settings.LANGUAGE_CODE):
        for alert in alerts:
            incident, site = alert.incident, alert.site
            text = gettext(
                "Incident %(source)s:%(id)s reported %(relation)s the protective radius of your "
                "site %(reference)s %(name)s, %(time)s UTC."
            ) % {"source": incident.source.name, "id": incident.external_id,
                 "relation": gettext("inside") if alert.relation == "inside"
                 else gettext("near (within its location precision)"),
                 "reference": site.reference, "name": site.name,
                 "time": f"{incident.time_start:%Y-%m-%d %H:%M}"}
            people = User.objects.filter(party_id=site.organisation_id, is_active=True)
            notices += [Notification(user=user, site=site, event="site.alert", text=text)
                        for user in people]
    return [notice.pk for notice in Notification.objects.bulk_create(notices)]


def announce_on_commit(classification_run_id: int) -> None:
    notices = address_site_alerts(classification_run_id)
    if notices:
        transaction.on_commit(lambda: mail_site_notices.enqueue(notices))


@task
def mail_site_notices(notification_ids: list[int]):
    """E-mail the stored notices of site alerts, each once."""
    from parley.access.models import Notification

    with transaction.atomic():
        notices = list(Notification.objects.select_for_update(of=("self",))
                       .select_related("user", "site")
                       .filter(pk__in=notification_ids, mailed_at__isnull=True))
        Notification.objects.filter(pk__in=[notice.pk for notice in notices]).update(
            mailed_at=timezone.now())
    with translation.override(settings.LANGUAGE_CODE):
        mails = [(f"[Parley] {existing(notice.site, 'site of a notice').reference}: "
                  + gettext("incident near your site"),
                  notice.text, settings.DEFAULT_FROM_EMAIL, [notice.user.email])
                 for notice in notices if notice.user.email]
    try:
        send_mass_mail(mails)
    except OSError:
        # A mail server that is down must not undo the alert; the in-app notices stand.
        logger.exception("e-mail about site alerts %s not sent", notification_ids)


@task
def announce_site_alerts(classification_run_id: int):
    """The alerts of a run not announced yet (a run whose announcement was not addressed in
    its own transaction): addressed and e-mailed now."""
    with transaction.atomic():
        notices = address_site_alerts(classification_run_id)
    mail_site_notices.call(notices)
