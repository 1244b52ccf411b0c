"""The set-based import of the unit-overall results table.

django-import-export imports row by row: a locked lookup, a save, a history row and a few
checks that each ask the database, per row. Here the region-year's records, units, firms,
recusals and self-evaluation totals are read once (the records locked), every row is
checked in memory by the resource's own hooks and the policy, and the file is written with
a handful of bulk statements, history included. The rules, messages and counts are those
of the row-by-row path (ResultsResource.import_sheets), which the tests hold it to.
"""

import copy

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from import_export.results import Error, Result, RowResult
from simple_history.utils import bulk_update_with_history

from .. import policies
from ..grading import grade_for
from ..models import Firm, FirmRecusal, SelfEvaluation, Unit, UnitEvaluation, WorkflowEvent
from ..services.workflow import computed_elsewhere, firm_conflict, transition_problem
from ..workflow import State
from .faults import DATABASE_GONE, database_errors
from .resources import RELEASE_REFUSED
from .sheet import SheetError, cell_text, locate_table

WRITE_CONFLICT = "写入时与他人同时进行的操作冲突，本次导入未写入任何数据；请重新导入"
BATCH_SIZE = 2000
# Fields full_clean need not check: foreign keys to the import's own objects (a query per
# row each) and what the importer sets itself, never from a cell. The year is the
# caller's: it is checked with the row.
IMPORTER_SET = {"region", "unit", "firm", "state", "version", "released_at"}
WRITTEN = ("firm", "self_score", "score", "grade", "note", "version")


def import_unit_sheets(resource, sheets, *, dry_run, user, file_name, diff=False) -> Result:
    """Import the unit table in read_workbook's sheets: all rows or, on any problem, none.

    With diff, each row result carries its values as the admin's preview shows them.

    The database going away or a conflicting write rolls everything back and comes back
    as the Result's one base error, in words the clerk can act on.
    """
    resource.user = user
    resource.file_name = file_name or resource.file_name
    result = Result()
    try:
        with transaction.atomic():
            _UnitTable(resource, result, diff=diff).run(sheets, dry_run=dry_run)
    except SheetError as exc:
        result.append_base_error(Error(exc))
    except IntegrityError:
        result.append_base_error(Error(SheetError(WRITE_CONFLICT)))
    except database_errors():
        result.append_base_error(Error(SheetError(DATABASE_GONE)))
    return result


class _UnitTable:
    """One run over one file: prefetch, check every row, then write in bulk."""

    def __init__(self, resource, result, *, diff):
        self.resource, self.result, self.diff = resource, result, diff
        self.region, self.year = resource.region, resource.year
        self.fields = resource.get_import_fields()
        self.attributes = {field.attribute for field in self.fields if field.attribute}
        self.blank = resource.init_instance()
        self.not_from_file = IMPORTER_SET | {
            field.name
            for field in UnitEvaluation._meta.concrete_fields
            if field.name not in self.attributes and field.name != "year"
        }

    def run(self, sheets, *, dry_run):
        resource = self.resource
        if resource.release and not policies.can_release(resource.user):
            raise SheetError(RELEASE_REFUSED)
        table = locate_table(sheets, resource.columns)
        resource.letters, resource.headers = table.letters, table.headers
        resource.sheet_name = table.sheet if len(sheets) > 1 else ""
        records = resource.prepare(table.rows)
        resource.sheet_rows = [number for number, _ in records]
        present = [f for f in self.fields if f.column_name and self._key(f) in table.letters]
        resource.present = {self._key(f) for f in present}
        self.result.diff_headers = [f.column_name for f in present]
        self.prefetch()
        rows = [
            self.import_row(index, number, record) for index, (number, record) in enumerate(records)
        ]
        for row in rows:
            self.result.increment_row_result_total(row)
        self.result.rows = rows
        if not self.result.has_validation_errors() and not dry_run:
            self.write([r for r in rows if r.is_new()], [r for r in rows if r.is_update()])

    def _key(self, field):
        return next(k for k, f in self.resource.fields.items() if f is field)

    # -- reading what the file may touch, once ------------------------------------------

    def prefetch(self):
        resource = self.resource
        self.existing = {
            record.unit.name: record
            for record in UnitEvaluation.objects.filter(region=self.region, year=self.year)
            .select_related("unit", "firm")
            .select_for_update(of=("self",))  # held until the import's transaction ends
        }
        units = {unit.name: unit for unit in Unit.objects.filter(region=self.region)}
        firms = {firm.name: firm for firm in Firm.objects.all()}
        resource.fields["unit"].widget.known = units
        resource.fields["firm"].widget.known = firms
        self.units, self.firms = units, firms
        self.recused = set(
            FirmRecusal.objects.filter(unit__region=self.region).values_list("firm", "unit")
        )
        # The units whose self-score their self-evaluation table computes.
        self.self_evaluated = set(
            SelfEvaluation.objects.filter(
                target__scope="unit",
                target__region=self.region,
                target__year=self.year,
                total__isnull=False,
            ).values_list("target__unit", flat=True)
        )

    # -- one row, in memory ---------------------------------------------------------------

    def import_row(self, index, number, record) -> RowResult:
        resource = self.resource
        cells = {
            field.column_name: record.get(key)
            for key, field in resource.fields.items()
            if key in resource.present
        }
        original = self.existing.get(cell_text(record.get("unit")))
        instance = copy.copy(original or self.blank)
        errors = {}
        try:
            resource.import_instance(instance, cells, row_number=index + 1)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        # A new record's every field is new: the policy asks only about existing ones.
        changed = self.attributes if original is None else self.changed(original, instance)
        row = RowResult()
        row.instance, row.original, row.sheet_row = instance, original, number
        if problem := self.row_problem(instance, original, changed):
            errors = {NON_FIELD_ERRORS: [problem]}
        elif errors or changed:
            try:
                # The file's duplicates were found by prepare(): no query per row.
                instance.full_clean(
                    exclude=[*errors, *self.not_from_file],
                    validate_unique=False,
                    validate_constraints=False,
                )
            except ValidationError as exc:
                errors = exc.update_error_dict(errors)
        if errors:
            row.import_type = RowResult.IMPORT_TYPE_INVALID
            row.validation_error = resource.located(index, ValidationError(errors))
            self.result.append_invalid_row(number, cells, row.validation_error)
        elif original is None:
            row.import_type = RowResult.IMPORT_TYPE_NEW
        else:
            row.import_type = (
                RowResult.IMPORT_TYPE_UPDATE if changed else RowResult.IMPORT_TYPE_SKIP
            )
        if self.diff:
            row.diff = [
                resource.fields[key].export(instance)
                for key in resource.fields
                if key in resource.present
            ]
        return row

    def changed(self, original, instance) -> set[str]:
        return {
            name for name in self.attributes if getattr(instance, name) != getattr(original, name)
        }

    def row_problem(self, record, original, fields_changed) -> str:
        """Return why the row may not be written (scope, workflow, recusal), or "".

        The checks of ResultsResource.skip_row, in its order; the prefetched sets say
        which rows the database-backed checks can refuse, and only those are asked.
        """
        resource = self.resource
        changed = {resource.policy_names.get(name, name) for name in fields_changed} - {None}
        created = original is None
        problem = policies.import_row_problem(
            resource.user, record, original, changed, release=resource.release
        )
        if (
            not problem
            and not created
            and "self_score" in fields_changed
            and record.unit_id in self.self_evaluated
        ):
            problem = computed_elsewhere(record=record, changed=fields_changed)
        if (
            not problem
            and (created or "firm" in changed)
            and (getattr(record.firm, "pk", None), record.unit_id) in self.recused
        ):
            problem = firm_conflict(firm=record.firm, record=record)
        if not problem and created and resource.release:
            problem = transition_problem("release", record)
        return problem

    # -- writing --------------------------------------------------------------------------

    def write(self, created, updated):
        user = self.resource.user
        Firm.objects.bulk_create(
            [firm for firm in self.firms.values() if firm.pk is None], batch_size=BATCH_SIZE
        )
        Unit.objects.bulk_create(
            [unit for unit in self.units.values() if unit.pk is None], batch_size=BATCH_SIZE
        )
        now = timezone.now()
        release = self.resource.release
        new = [row.instance for row in created]
        for record in new:
            # What Graded.save() and imported_records_settle() do one record at a time.
            record.grade = grade_for(record.score) if record.score is not None else ""
            if release:
                record.state, record.version, record.released_at = State.RELEASED, 2, now
        new = UnitEvaluation.objects.bulk_create(new, batch_size=BATCH_SIZE)
        ids = [record.pk for record in new]
        insert_select(UnitEvaluation.history.model, ids, _created_history(user, now))
        insert_select(WorkflowEvent, ids, _import_event(user, now, release))
        changed = [row.instance for row in updated]
        for record in changed:
            record.grade = grade_for(record.score) if record.score is not None else ""
            record.version += 1  # a form opened before this import is now out of date
        if changed:
            bulk_update_with_history(
                changed,
                UnitEvaluation,
                list(WRITTEN),
                batch_size=BATCH_SIZE,
                default_user=user,
                default_date=now,
            )
        for row, record in zip(created, new, strict=True):
            row.instance = record


# History rows and workflow events of the new records are written by the database, copied
# from the rows just inserted (INSERT … SELECT): building 10,000 model instances of each
# in Python and sending them back took longer than everything else the import does.


def _created_history(user, now) -> dict:
    """Return the values of a "+" history row beside the record's own columns."""
    return {
        "history_date": now,
        "history_type": "+",
        "history_user_id": getattr(user, "pk", None),
        "history_change_reason": None,
    }


def _import_event(user, now, release) -> dict:
    """Return the WorkflowEvent of a record entering the workflow by import, by column;
    "id" is the record's own (imported_records_settle records the same)."""
    return {
        "content_type_id": ContentType.objects.get_for_model(UnitEvaluation).pk,
        "object_id": "id",
        "action": "import_release" if release else "import",
        "from_state": "",
        "to_state": State.RELEASED if release else State.DRAFT,
        "actor_id": user.pk if user is not None and user.is_authenticated else None,
        "at": now,
        "comment": "随结果表导入" + ("并公开" if release else ""),
    }


def insert_select(model, ids, values: dict):
    """Insert one row of model per unit evaluation in ids, copied from it.

    Each of model's columns takes the value given for it ("id" names the evaluation's own
    id column), or else the evaluation's column of the same name; an unknown column is an
    error, never a silent NULL.
    """
    source = UnitEvaluation._meta
    own = {field.column for field in source.concrete_fields}
    quote = connection.ops.quote_name
    columns, selected, params = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue  # the new row's own serial id (a history row's is history_id)
        columns.append(quote(field.column))
        if field.column in values and values[field.column] == "id":
            selected.append(quote("id"))
        elif field.column in values:
            selected.append("%s")
            params.append(field.get_db_prep_save(values[field.column], connection))
        elif field.column in own:
            selected.append(quote(field.column))
        else:
            raise ValueError(f"{model._meta.label}.{field.column} has no value to copy")
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(columns)}) "
        f"SELECT {', '.join(selected)} FROM {quote(source.db_table)} WHERE {quote('id')} IN "
    )
    with connection.cursor() as cursor:
        for start in range(0, len(ids), BATCH_SIZE):
            chunk = ids[start : start + BATCH_SIZE]
            cursor.execute(sql + f"({', '.join(['%s'] * len(chunk))})", [*params, *chunk])
