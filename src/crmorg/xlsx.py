"""Excel workbooks as bytes that do not change from one run to the next.

openpyxl stamps a workbook with the time it is saved and writes its zip entries with the
current time, in the order it makes them. :func:`workbook_bytes` fixes the document's
created and modified times and rewrites the zip with sorted entries, one timestamp and
one file mode, so two builds of the same model are byte-identical. The CRM export's
workbook (Fxiaoke) and the handbook's workbooks share it.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from typing import Any, Final

__all__ = ["FIXED_TIME", "workbook_bytes"]

FIXED_TIME: Final = datetime.datetime(1980, 1, 1)
"""The created and modified time of every workbook, and its zip entries' timestamp."""
_ZIP_TIME: Final = (1980, 1, 1, 0, 0, 0)


def workbook_bytes(workbook: Any) -> bytes:
    """``workbook`` (an openpyxl ``Workbook``) saved, with fixed times and entry order."""
    # Imported here: openpyxl takes a fifth of a second to import, which only the
    # commands that write a workbook should pay.
    from openpyxl.writer.excel import ExcelWriter  # type: ignore[import-untyped]

    workbook.properties.creator = "crmorg"
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).save()
    fixed = io.BytesIO()
    with (
        zipfile.ZipFile(raw) as source,
        zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for name in sorted(source.namelist()):
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(name))
    return fixed.getvalue()
