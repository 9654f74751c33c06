"""Fail when requirements.lock no longer satisfies pyproject.toml (a dependency added or narrowed without `make lock`).

Offline: compares the requirements in pyproject.toml (runtime, every extra, the build backend) with the pins.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

try:
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name
except ImportError:  # pragma: no cover - pip always vendors a copy
    from pip._vendor.packaging.requirements import Requirement  # type: ignore[no-redef]
    from pip._vendor.packaging.utils import canonicalize_name  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parent.parent


def main(lock_path: str = "requirements.lock") -> int:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    wanted = [*project["build-system"]["requires"], *project["project"]["dependencies"]]
    for extra in project["project"].get("optional-dependencies", {}).values():
        wanted += extra
    pins = {
        canonicalize_name(m[1]): m[2]
        for m in re.finditer(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", (ROOT / lock_path).read_text(), re.M)
    }
    problems = []
    for line in wanted:
        requirement = Requirement(line)
        pinned = pins.get(canonicalize_name(requirement.name))
        if pinned is None:
            problems.append(f"{line!r} is not in {lock_path}")
        elif not requirement.specifier.contains(pinned, prereleases=True):
            problems.append(f"{line!r} does not admit the locked {requirement.name}=={pinned}")
    for problem in problems:
        print(f"pyproject.toml: {problem}", file=sys.stderr)
    if problems:
        print("Run `make lock` (then `make install`) and commit the lock files with pyproject.toml.", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
