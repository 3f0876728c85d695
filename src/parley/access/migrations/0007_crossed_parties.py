from django.db import migrations, models


def bound_belligerents(apps, schema_editor):
    """Versions notified before areas had owners keep today's rule: every bound belligerent."""
    MovementVersion = apps.get_model("access", "MovementVersion")
    for version in MovementVersion.objects.select_related("movement__agreement"):
        version.crossed_parties.set(
            version.movement.agreement.bound_parties.filter(kind="belligerent")
        )


class Migration(migrations.Migration):

    dependencies = [
        ("access", "0006_notification_of_a_site"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="movementversion",
            name="crossed_parties",
            field=models.ManyToManyField(
                blank=True, related_name="+", to="core.party",
                verbose_name="parties whose areas the route crosses",
            ),
        ),
        migrations.RunPython(bound_belligerents, migrations.RunPython.noop),
    ]
