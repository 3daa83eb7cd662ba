"""Run with the stack's environment (a subprocess of the failure tests): prepares the
database the servers use and prints what the tests need as one JSON line.

    python tests/ops/stack.py prepare --drafts 300
    python tests/ops/stack.py sessions --users 1 2 3
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from benchmarks.surge import seed

    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    prepare = sub.add_parser("prepare")
    prepare.add_argument("--drafts", type=int, default=200)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    seed.ensure_base()
    plan = seed.surge_plan()
    pairs = seed.clone_applicants(args.drafts, plan=plan)
    sessions = seed.login_sessions([u for u, _a in pairs])
    print(
        json.dumps(
            {
                "plan": plan.pk,
                "drafts": [[sessions[u], a] for u, a in pairs],
                "staff": seed.staff_sessions(),
            }
        )
    )


if __name__ == "__main__":
    main()
