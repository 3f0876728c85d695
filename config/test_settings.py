"""The test suite's settings: production's (config.settings), with a key of the suite's own and
MFA enforcement off; the tests of MFA turn it on for themselves.

The values go into the environment before config.settings reads it, so that the commands the
tests start in a subprocess get them too.
"""

import os

os.environ.setdefault("SECRET_KEY", "parley-test-suite-only-" + "k" * 40)
os.environ.setdefault("PARLEY_REQUIRE_MFA", "false")

from config.settings import *  # noqa: E402, F403
