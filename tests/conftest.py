"""Test-wide settings.

Property tests are repeatable by default (the same examples on every run, so CI is not flaky);
`make fuzz` explores new random examples with HYPOTHESIS_PROFILE=explore.
"""

import os

from hypothesis import settings

# No per-example deadline: on a shared machine (CI beside other work) an example that runs
# pandera or a reader can take over hypothesis' 200 ms, which is no failure of the property;
# tests that could hang have their own alarms.
settings.register_profile("repeatable", derandomize=True, print_blob=True, deadline=None)
settings.register_profile("explore", derandomize=False, print_blob=True, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))
