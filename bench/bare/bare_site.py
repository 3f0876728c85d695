"""The settings of `bench/api.py`: Parley's own, with the URLs of `bare_urls.py`, which add a
bare view under the same middleware."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bare_urls"
