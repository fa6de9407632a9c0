"""Text with characters a reader cannot see: controls, bidi overrides, zero-width ones."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from operator import attrgetter
from typing import Any

from crmorg.document import ID_SECTIONS
from crmorg.findings import Path, Severity
from crmorg.lint.rule import Problem, rule
from crmorg.model import Model
from crmorg.text import HIDDEN_CHARACTERS, printable

_HIDDEN = re.compile(f"[\t\n{HIDDEN_CHARACTERS}]")
"""What no single-line text (an identifier, a name, a title) may hold."""
_HIDDEN_IN_PROSE = re.compile(f"(?!\r)[{HIDDEN_CHARACTERS}]")
"""What a description may not hold: it may have tabs and line breaks."""
_TEXT_FIELDS = ("name", "description", "title")
_IDENTIFIER_FIELDS = ("email",)


@rule("hidden-characters", "CRM008", "model", Severity.ERROR)
def hidden_characters(model: Model) -> Iterator[Problem]:
    """Text holds control, bidi or zero-width characters, which no reader can see.

    Such characters make two different values look alike, reorder what a reader
    sees (U+202E turns `gpj.exe` around) or drive a terminal (ESC). In an identifier
    (a person's `email`) they are errors; in a name, description or title they are
    warnings. Ids themselves are `[a-z][a-z0-9_]*`: the schema already refuses any
    other character in them. Descriptions may hold tabs and line breaks.

    Fails:
    ```yaml
    roles:
      sales_rep: {name: "Sales\\u202eRep"}
    ```
    Fix: retype the text without the hidden character (`name: Sales Rep`).
    """
    organization = model.organization
    if organization is not None:
        yield from _text_problems(("organization",), organization, ())
    for section in ID_SECTIONS:
        entities: Any = getattr(model.document, section)
        if not _any_hidden(entities.values()):
            continue  # the common case, told by two searches over the section's text
        for entity_id, entity in entities.items():
            yield from _text_problems((section, entity_id), entity, (entity_id,))
            for field in _IDENTIFIER_FIELDS:
                value = getattr(entity, field, None)
                found = _HIDDEN.search(value) if isinstance(value, str) else None
                if found is not None:
                    yield _problem((section, entity_id, field), field, found, (entity_id,), None)
    for index, constraint in enumerate(model.document.constraints):
        yield from _text_problems(("constraints", index), constraint, ())
    for process_id, process in model.processes.items():  # a step's name and description
        for index, part in enumerate(process.steps):
            where = ("processes", process_id, "steps", index)
            yield from _text_problems(where, part, (process_id, part.id))


def _any_hidden(entities: Iterable[Any]) -> bool:
    """Whether any text of ``entities`` may hold a hidden character (a quick, joint test)."""
    items = list(entities)
    classes = set(map(type, items))
    for field in (*_TEXT_FIELDS, *_IDENTIFIER_FIELDS):
        having = {cls for cls in classes if field in getattr(cls, "model_fields", ())}
        if not having:
            continue
        if having == classes:
            values: Iterable[Any] = map(attrgetter(field), items)  # a C-level column
        else:
            values = (getattr(item, field) for item in items if type(item) in having)
        pattern = _HIDDEN_IN_PROSE if field == "description" else _HIDDEN
        # Joined by a space, which neither pattern matches.
        if pattern.search(" ".join(_texts(values))):
            return True
    return False


def _texts(values: Iterable[Any]) -> Iterable[str]:
    """The strings of a column of field values: None left out, localised texts opened."""
    present = list(filter(None, values))
    if all(map(str.__instancecheck__, present)):
        return present
    texts: list[str] = []
    for value in present:
        texts.extend(value.values()) if isinstance(value, dict) else texts.append(value)
    return texts


def _text_problems(path: Path, entity: Any, subjects: tuple[str, ...]) -> Iterator[Problem]:
    for field in _TEXT_FIELDS:
        text = getattr(entity, field, None)
        hidden = _HIDDEN_IN_PROSE if field == "description" else _HIDDEN
        texts = text.items() if isinstance(text, dict) else [(None, text)]
        for locale, value in texts:
            found = hidden.search(value) if isinstance(value, str) else None
            if found is not None:
                where = (*path, field) if locale is None else (*path, field, locale)
                yield _problem(where, field, found, subjects, Severity.WARNING)


def _problem(
    path: Path,
    field: str,
    found: re.Match[str],
    subjects: tuple[str, ...],
    at_most: Severity | None,
) -> Problem:
    return Problem(
        f"`{field}` holds the hidden character U+{ord(found.group()):04X} at position "
        f"{found.start() + 1} of {printable(found.string, 40)}; retype the text without it",
        path,
        subjects,
        at_most=at_most,
    )
