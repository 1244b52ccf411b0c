"""Writes. Each service is keyword-only and runs in one transaction."""

from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import PermissionDenied
from import_export.results import RowResult

from .. import policies
from ..imports.projects import ProjectResource
from ..imports.sheet import SheetError, read_workbook
from ..imports.units import UnitEvaluationResource
from ..models import Region

IMPORTERS = {"units": UnitEvaluationResource, "projects": ProjectResource}


@dataclass
class ImportOutcome:
    file_name: str
    counts: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


COUNT_LABELS = {
    RowResult.IMPORT_TYPE_NEW: "新增",
    RowResult.IMPORT_TYPE_UPDATE: "修改",
    RowResult.IMPORT_TYPE_SKIP: "未变",
    RowResult.IMPORT_TYPE_DELETE: "删除",
}


def region_ensure(*, code: str, name: str) -> Region:
    """Return the region with this code, registering it under this name if it is new."""
    region, _ = Region.objects.get_or_create(code=code, defaults={"name": name})
    return region


def results_import(
    *,
    table: str,
    region: Region,
    year: int,
    data: bytes,
    file_name: str,
    user=None,
    dry_run: bool = False,
    release: bool = False,
) -> ImportOutcome:
    """Import one results table (units or projects) of a region and year from xlsx bytes.

    All or nothing: a file with any bad row writes nothing, and every bad row is listed.
    A user, when given, must hold the import permission for the table, and each row must
    lie in their scope (policies.import_row_problem); the command line runs as the
    installation's operator. With release, the file's records are published at once
    (results approved elsewhere); otherwise they enter the review workflow.
    """
    resource_class = IMPORTERS[table]
    if user is not None and not policies.can_import(user, resource_class.import_permission_model):
        raise PermissionDenied("没有导入该表的权限")
    outcome = ImportOutcome(file_name=file_name, dry_run=dry_run)
    try:
        sheets = read_workbook(data)
    except SheetError as exc:
        outcome.errors = [f"{file_name}：{message}" for message in exc.messages]
        return outcome
    resource = resource_class(region=region, year=year, file_name=file_name, release=release)
    # A lost database connection comes back as the result's one base error (DATABASE_GONE).
    result = resource.import_sheets(sheets, dry_run=dry_run, user=user, file_name=file_name)
    outcome.errors = error_messages(result, resource, file_name)
    for import_type, label in COUNT_LABELS.items():
        outcome.counts[label] = result.totals.get(import_type, 0)
    return outcome


def results_import_path(*, table: str, region: Region, year: int, path: Path, **kwargs):
    """Import a results table from a file on disk (see results_import)."""
    return results_import(
        table=table,
        region=region,
        year=year,
        data=Path(path).read_bytes(),
        file_name=Path(path).name,
        **kwargs,
    )


def error_messages(result, resource, file_name) -> list[str]:
    """Return one message per problem in an import result, each naming file, row and column."""
    messages = []
    for error in result.base_errors:
        exc = error.error
        parts = exc.messages if isinstance(exc, SheetError) else [str(exc)]
        messages += [f"{file_name}：{part}" for part in parts]
    for number, errors in result.row_errors():
        sheet_row = (
            resource.sheet_rows[number - 1] if number <= len(resource.sheet_rows) else number
        )
        messages += [f"{file_name} 第{sheet_row}行：{error.error}" for error in errors]
    for invalid in result.invalid_rows:
        for field_messages in invalid.error_dict.values():
            messages += [str(m) for m in field_messages]
    return messages
