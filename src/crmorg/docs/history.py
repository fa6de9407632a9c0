"""Where a handbook comes from: the model's git history, and the stamp a client copy wears.

:func:`read_history` asks git (when the model lies in a work tree and git is installed)
for the last commit that touched the model, whether the model has uncommitted changes,
and the log of commits touching it: the handbook's change-log page and its "model
revision". :func:`stamp_date` picks the date a client handbook is stamped with, so that
the same model always gives the same pages: an explicit date first, then
``SOURCE_DATE_EPOCH`` (the reproducible-builds convention), then the date of the model's
last commit. No clock is read.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from crmorg.text import clean_text

__all__ = [
    "MAX_CHANGES",
    "Change",
    "ModelHistory",
    "Stamp",
    "StampDateError",
    "parse_date",
    "read_history",
    "stamp_date",
]

MAX_CHANGES = 500
"""The change log lists at most this many commits, newest first."""

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_GIT_TIMEOUT = 20.0


class StampDateError(ValueError):
    """A client handbook has no date to be stamped with."""


@dataclass(frozen=True)
class Change:
    """One commit that touched the model: its date (YYYY-MM-DD), short sha and subject."""

    date: str
    sha: str
    subject: str


@dataclass(frozen=True)
class ModelHistory:
    """The model's revision (the last commit touching it), and its change log."""

    sha: str
    date: str
    dirty: bool
    """The model's files differ from that commit (or some are not committed yet)."""
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class Stamp:
    """What every page of a client handbook says about itself."""

    company: str
    date: str
    version: str
    revision: str | None = None
    dirty: bool = False


def parse_date(text: str) -> str:
    """``YYYY-MM-DD`` checked to be a real date; ValueError says what is wrong."""
    if not _DATE.fullmatch(text):
        raise ValueError(f"the date {text!r} is not written YYYY-MM-DD (e.g. 2026-12-07)")
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"the date {text!r} is no day of the calendar") from None
    return text


def stamp_date(
    explicit: str | None,
    history: ModelHistory | None,
    environ: Mapping[str, str] | None = None,
) -> str:
    """The date of a client handbook: ``explicit``, else ``SOURCE_DATE_EPOCH`` (UTC),
    else the model's last commit; :class:`StampDateError` when there is none."""
    if explicit is not None:
        return parse_date(explicit)
    epoch = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            seconds = int(epoch)
            return dt.datetime.fromtimestamp(seconds, dt.UTC).date().isoformat()
        except (ValueError, OverflowError, OSError):
            raise StampDateError(
                f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds since 1970"
            ) from None
    if history is not None:
        return history.date
    raise StampDateError(
        "a client handbook is stamped with a date, and this model is not in git: "
        "pass --date YYYY-MM-DD or set SOURCE_DATE_EPOCH"
    )


def read_history(path: str | Path) -> ModelHistory | None:
    """The git history of the model at ``path`` (a directory or a file), or None when
    it is not in a git work tree, has no commit yet, or git is not installed."""
    git = shutil.which("git")
    if git is None:
        return None
    target = Path(path).resolve()
    where = target if target.is_dir() else target.parent
    run = _Git(git, where)
    inside = run("rev-parse", "--is-inside-work-tree")
    if inside is None or inside.strip() != "true":
        return None
    log = run(
        "log", f"--max-count={MAX_CHANGES}", "--format=%cs%x00%h%x00%s%x00", "--", str(target)
    )
    if not log:
        return None
    fields = log.split("\x00")
    changes = []
    for start in range(0, len(fields) - 2, 3):
        date, sha, subject = (field.strip("\n") for field in fields[start : start + 3])
        changes.append(Change(date, sha, clean_text(subject)))
    if not changes:
        return None
    status = run("status", "--porcelain", "--untracked-files=all", "--", str(target))
    return ModelHistory(changes[0].sha, changes[0].date, bool(status), tuple(changes))


# A model may come from someone else's repository: no configured program of it runs
# (an fsmonitor hook would run on `git status`, a gpg.program on a signed `git log`),
# and paths print unquoted.
_SAFE_CONFIG = (
    *("-c", "core.fsmonitor=false", "-c", "log.showSignature=false"),
    *("-c", "core.quotepath=off", "--no-pager"),
)


class _Git:
    def __init__(self, git: str, where: Path) -> None:
        self.git = git
        self.where = where
        # Plain output whatever the user's configuration: no pager, no colour, no
        # translated messages, no repository taken from the environment.
        self.env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
        self.env.update({"LC_ALL": "C", "GIT_PAGER": "cat", "GIT_OPTIONAL_LOCKS": "0"})

    def __call__(self, *args: str) -> str | None:
        try:
            done = subprocess.run(
                [self.git, "-C", str(self.where), *_SAFE_CONFIG, *args],
                capture_output=True,
                env=self.env,
                timeout=_GIT_TIMEOUT,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            return None
        if done.returncode != 0:
            return None
        return done.stdout.decode("utf-8", errors="replace")
