"""E-mail is configured by EMAIL_URL into Django 6.1's MAILERS (no deprecated EMAIL_* settings),
and sending it raises no warning that Django 2028 will have no default mailer."""

import json
import os
import subprocess
import sys
import warnings

import pytest
from django.core import mail

pytestmark = [pytest.mark.integration]


def mailers_with(env: dict) -> dict:
    """settings.MAILERS of a fresh process with `env` (and no EMAIL_URL of the caller's)."""
    code = ("import django, json; django.setup(); from django.conf import settings; "
            "print(json.dumps(settings.MAILERS))")
    inherited = {key: value for key, value in os.environ.items() if key != "EMAIL_URL"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True,
        env={**inherited, "DJANGO_SETTINGS_MODULE": "config.settings", **env})
    return json.loads(result.stdout)


def test_email_url_configures_the_default_mailer():
    assert mailers_with({"EMAIL_URL": "smtp+tls://parley:s3cret@mail.example.org:587"}) == {
        "default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": {
            "host": "mail.example.org", "port": 587, "username": "parley",
            "password": "s3cret", "use_tls": True, "use_ssl": False, "timeout": 10}}}
    assert mailers_with({}) == {
        "default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}


def test_sending_mail_raises_no_deprecation_warning():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        mail.send_mass_mail([("Subject", "Body", "parley@localhost", ["ru-head@example.org"])])
    assert [str(warning.message) for warning in caught] == []
    assert [message.to for message in mail.outbox] == [["ru-head@example.org"]]
