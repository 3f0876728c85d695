"""The data generation that the read cache keys its answers by (parley.core.readcache): one row,
bumped by triggers (installed after every migrate) whenever a watched table changes. Not a model,
so that `flush` leaves it: the counter only ever grows."""

import secrets

from django.db import migrations


def create(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("CREATE TABLE parley_data_generation (id integer PRIMARY KEY, "
                       "epoch varchar(32) NOT NULL, n bigint NOT NULL)")
        cursor.execute("INSERT INTO parley_data_generation (id, epoch, n) VALUES (1, %s, 0)",
                       [secrets.token_hex(8)])


def drop(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute("DROP TABLE parley_data_generation CASCADE")
            cursor.execute("DROP FUNCTION IF EXISTS parley_data_changed() CASCADE")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                           "AND name LIKE 'parley_gen_%'")
            for (name,) in cursor.fetchall():
                cursor.execute(f'DROP TRIGGER "{name}"')
            cursor.execute("DROP TABLE parley_data_generation")


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0005_api_token_scope_expiry"),
    ]

    operations = [migrations.RunPython(create, drop)]
