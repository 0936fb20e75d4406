"""Test-wide settings.

Property tests are repeatable by default (the same examples on every run, so CI is not flaky);
`make fuzz` explores new random examples with HYPOTHESIS_PROFILE=explore.
"""

import os

from hypothesis import settings

settings.register_profile("repeatable", derandomize=True, print_blob=True)
settings.register_profile("explore", derandomize=False, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))
