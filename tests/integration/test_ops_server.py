"""The production server's process model."""

import pytest
from django.db import connection

from parley.ops.server import gunicorn_options

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_the_server_closes_its_database_connection_before_it_forks_a_web_process():
    # A child that inherited the parent's connection would share its socket with every other
    # child: each would read the others' answers (seen as rows of another query, on
    # PostgreSQL with persistent connections). scripts/deployment_check.py reads through the
    # real server from many clients at once.
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("Django never closes an in-memory SQLite database (it would be lost)")
    options = gunicorn_options(host="127.0.0.1", port=1, workers=2, threads=1)
    connection.ensure_connection()
    assert connection.connection is not None
    options["pre_fork"](None, None)
    assert connection.connection is None
