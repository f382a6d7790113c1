"""Start the dashboard with the production settings: ``python run_production.py [extra flags]``.

Streamlit reads ``.streamlit/config.toml`` (theme and defaults, the file development and the
tests use); this launcher adds every option of ``.streamlit/config.production.toml`` as a
command-line flag, which takes precedence over config files, and runs ``serve.py``. Extra
arguments pass through and win again (e.g. ``--server.address=10.20.0.5``).
"""

from __future__ import annotations

import os
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent
PRODUCTION_CONFIG = ROOT / ".streamlit" / "config.production.toml"


def production_flags(path: Path = PRODUCTION_CONFIG) -> list[str]:
    """``--section.option=value`` for every option of the production config."""
    with path.open("rb") as handle:
        config = tomllib.load(handle)
    flags = []
    for section, options in config.items():
        for option, value in options.items():
            text = str(value).lower() if isinstance(value, bool) else str(value)
            flags.append(f"--{section}.{option}={text}")
    return flags


def command(extra: list[str]) -> list[str]:
    return [sys.executable, "-m", "streamlit", "run", str(ROOT / "serve.py"), *production_flags(), *extra]


if __name__ == "__main__":
    os.chdir(ROOT)  # so Streamlit finds .streamlit/config.toml
    argv = command(sys.argv[1:])
    os.execv(argv[0], argv)
