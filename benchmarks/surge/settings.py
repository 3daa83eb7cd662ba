"""Settings of the benchmark's server: production settings, plus one minimal view
(``/bench/minimal``) that measures this machine's ceiling through the same middleware."""

from zhicheng.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.surge.urls"
