"""Print the pinned requirements from pyproject.toml, one per line.

    python tools/requirements.py           # runtime dependencies
    python tools/requirements.py dev       # runtime + the dev group

pip reads pyproject.toml's dependency groups only from version 25.1 on; this
keeps `make` working with the pip every Python 3.12/3.13 ships with.
"""

import sys
import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def requirements(groups: list[str]) -> list[str]:
    project = tomllib.loads(PYPROJECT.read_text())
    wanted = list(project["project"]["dependencies"])
    for group in groups:
        wanted += project["dependency-groups"][group]
    return wanted


if __name__ == "__main__":
    print("\n".join(requirements(sys.argv[1:])))
