"""Import of the company's Excel and CSV exports into the database (validated, idempotent).

``run_import(Source, kind, ...)`` is the one implementation behind the CLI
(``python -m data_access.load``) and the Import page. See docs/import_formats.md.
"""

from data_access.loaders.importer import ImportResult, run_import, spec_for
from data_access.loaders.messages import PROBLEMS, describe
from data_access.loaders.parsing import Issue
from data_access.loaders.reading import FileProblem, Source
from data_access.loaders.report import (
    columns_frame,
    issue_text,
    issues_frame,
    layout_text,
    preview,
    template_frame,
    write_rejected,
)
from data_access.loaders.specs import KINDS, SPECS, KindSpec

__all__ = [
    "KINDS",
    "PROBLEMS",
    "SPECS",
    "FileProblem",
    "ImportResult",
    "Issue",
    "KindSpec",
    "Source",
    "columns_frame",
    "describe",
    "issue_text",
    "issues_frame",
    "layout_text",
    "preview",
    "run_import",
    "spec_for",
    "template_frame",
    "write_rejected",
]
