"""Deterministic Office files: the same inputs and edition date give the same bytes.

python-docx and openpyxl stamp the zip entries and ``docProps/core.xml`` with the current time;
``normalised_zip`` rewrites both with the edition date.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime

_STAMPS = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")


def normalised_zip(data: bytes, when: datetime) -> bytes:
    """The archive with every entry dated ``when`` and core properties created/modified ``when``."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _STAMPS.sub(rb"\g<1>" + stamp + rb"\g<2>", content)
            entry = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, content)
    return out.getvalue()
