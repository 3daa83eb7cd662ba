"""The policy engine: eligibility and scoring of professional-title applications.

Pure Python — it imports nothing from Django or the rest of the project. Policies are data
(``policies/<id>.yaml``), validated against a schema when loaded and compiled once per
process; a profile (shared contract, POLICY_API.md) is validated strictly and evaluated into
an explained result.

Public API::

    evaluate(profile: dict | Profile) -> dict
    evaluate_many(profiles: Iterable[dict | Profile]) -> list[dict]   # the batch path
    batch_mode()                                         # context manager: pauses the cyclic GC
    validate_profile(data: dict) -> Profile            # raises ProfileError(.errors)
    load_policy(policy_id: str) -> CompiledPolicy        # raises PolicyError
    load_policy_file(path, expected_id=None) -> CompiledPolicy
    available_policies() -> list[dict]                   # id, title, document, version, levels
    describe_policy(policy_id: str) -> dict              # the policy as readable Chinese text
    clear_cache() -> None
"""

from .describe import available_policies, describe_policy
from .engine import batch_mode, evaluate, evaluate_many
from .errors import PolicyError, ProfileError
from .loader import CompiledPolicy, clear_cache, load_policy, load_policy_file
from .profile import Profile, validate_profile

__all__ = [
    "CompiledPolicy",
    "PolicyError",
    "Profile",
    "ProfileError",
    "available_policies",
    "batch_mode",
    "clear_cache",
    "describe_policy",
    "evaluate",
    "evaluate_many",
    "load_policy",
    "load_policy_file",
    "validate_profile",
]
