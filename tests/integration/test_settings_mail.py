"""E-mail is configured by EMAIL_URL into Django 6.1's MAILERS (no deprecated EMAIL_* settings),
and sending it raises no warning that Django 2028 will have no default mailer."""

import runpy
import warnings

import pytest
from django.core import mail

import config.settings as settings_module

pytestmark = [pytest.mark.integration]


def mailers_with(monkeypatch, env: dict) -> dict:
    """MAILERS as config/settings.py computes it with `env` (and no EMAIL_URL of the caller's):
    the settings module run afresh in this process, without touching the loaded settings."""
    with monkeypatch.context() as patch:
        patch.delenv("EMAIL_URL", raising=False)
        for key, value in env.items():
            patch.setenv(key, value)
        return runpy.run_path(settings_module.__file__)["MAILERS"]


def test_email_url_configures_the_default_mailer(monkeypatch):
    assert mailers_with(monkeypatch, {
        "EMAIL_URL": "smtp+tls://parley:s3cret@mail.example.org:587"}) == {
        "default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": {
            "host": "mail.example.org", "port": 587, "username": "parley",
            "password": "s3cret", "use_tls": True, "use_ssl": False, "timeout": 10}}}
    assert mailers_with(monkeypatch, {}) == {
        "default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}


def test_sending_mail_raises_no_deprecation_warning():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        mail.send_mass_mail([("Subject", "Body", "parley@localhost", ["ru-head@example.org"])])
    assert [str(warning.message) for warning in caught] == []
    assert [message.to for message in mail.outbox] == [["ru-head@example.org"]]
