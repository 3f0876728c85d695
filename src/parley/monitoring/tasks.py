"""Background work of monitoring: thin tasks that take ids, re-fetch and re-check.

The queued import (`services.imports.import_run`) lives with the import services, which enqueue
it. `announce_site_alerts` tells the
organisation whose notified site an incident came near: an in-app notification and an e-mail
to each of its people, once per alert (an alert claimed as announced is never announced again,
also after the alerts are recomputed).
"""

import logging

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext

from parley.core.models import User
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


@task
def announce_site_alerts(classification_run_id: int):
    from parley.access.models import Notification

    alerts = _claim_alerts(classification_run_id)
    notices, mails = [], []
    for alert in alerts:
        incident, site = alert.incident, alert.site
        text = gettext(
            "Incident %(source)s:%(id)s reported %(relation)s the protective radius of your site "
            "%(reference)s %(name)s, %(time)s UTC."
        ) % {"source": incident.source.name, "id": incident.external_id,
             "relation": gettext("inside") if alert.relation == "inside"
             else gettext("near (within its location precision)"),
             "reference": site.reference, "name": site.name,
             "time": f"{incident.time_start:%Y-%m-%d %H:%M}"}
        people = list(User.objects.filter(party_id=site.organisation_id, is_active=True))
        notices += [Notification(user=user, site=site, event="site.alert", text=text)
                    for user in people]
        subject = f"[Parley] {site.reference}: " + gettext("incident near your site")
        mails += [(subject, text, settings.DEFAULT_FROM_EMAIL, [user.email])
                  for user in people if user.email]
    Notification.objects.bulk_create(notices)
    try:
        send_mass_mail(mails)
    except OSError:
        # A mail server that is down must not undo the alert; the in-app notices stand.
        logger.exception("e-mail about site alerts of run %s not sent", classification_run_id)
