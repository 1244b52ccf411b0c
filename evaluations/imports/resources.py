"""The base of the django-import-export resources for the result tables (units.py, projects.py).

Both read the CirculatedXLSX dataset (every sheet row, merged cells filled), find the
header row, resolve what a blank cell means ("same as above"), check what only the whole
table can tell (duplicates, one score per project), and then let import-export import row
by row inside one transaction; the unit table replaces that last step with a set-based
one (evaluations.imports.bulk) built on the same hooks. Every problem names the file, the
sheet row and the column; any problem, or the database going away, rolls the whole file
back.
"""

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from import_export import resources
from import_export.fields import NOT_PROVIDED
from import_export.results import Error, Result, RowResult

from .. import policies
from ..grading import grade_for
from ..services.workflow import (
    computed_elsewhere,
    firm_conflict,
    imported_records_settle,
    transition_problem,
)
from .faults import DATABASE_GONE, database_errors
from .formats import dataset_sheets, sheets_dataset
from .sheet import ROW_NUMBER, Column, SheetError, is_blank, locate_table

RELEASE_REFUSED = "您没有公开评价结果的权限，不能以“已公开”导入"


class ResultsResource(resources.ModelResource):
    """Shared machinery: table location, per-row problems, error messages with positions."""

    columns: tuple[Column, ...] = ()
    internal_headers: tuple[str, ...] = ()

    # Resource field name -> the name the policy knows it by (None: derived, never judged).
    policy_names: dict[str, str | None] = {}

    def __init__(self, *, region=None, year=None, file_name="", release=False):
        super().__init__()
        self.region, self.year, self.file_name = region, year, file_name
        self.release = release
        self.user = None
        self.touched: dict[int, tuple] = {}
        self.letters: dict[str, str] = {}
        self.headers: dict[str, str] = {}
        self.sheet_rows: list[int | None] = []
        self.sheet_name = ""
        self.problems: dict[int, dict[str, list[str]]] = defaultdict(dict)
        self._import_fields = None
        self._setters = None
        for field in self.fields.values():
            if hasattr(field.widget, "region"):
                field.widget.region = region

    def get_import_fields(self):
        # import-export asks once per row; the answer never changes.
        if self._import_fields is None:
            self._import_fields = super().get_import_fields()
        return self._import_fields

    def import_sheets(self, sheets, *, dry_run=False, user=None, file_name=""):
        """Import read_workbook's sheets in one transaction; return the import-export Result.

        This is django-import-export's row-by-row path (a lookup, a save and a history row
        per row); UnitEvaluationResource replaces it with a set-based one.
        """
        return ResultsResource.import_data(
            self,
            sheets_dataset(sheets),
            dry_run=dry_run,
            raise_errors=False,
            use_transactions=True,
            rollback_on_validation_errors=True,
            file_name=file_name,
            user=user,
        )

    def import_data(self, dataset, **kwargs):
        result = super().import_data(dataset, **kwargs)
        if any(
            isinstance(error.error, database_errors())
            for _, errors in result.row_errors()
            for error in errors
        ):
            # import-export reports the lost connection on every row after it; the
            # transaction was rolled back, and one message says what happened.
            result = Result()
            result.append_base_error(Error(SheetError(DATABASE_GONE)))
        return result

    # -- reading the table -------------------------------------------------------------

    def before_import(self, dataset, **kwargs):
        self.file_name = kwargs.get("file_name") or self.file_name
        self.user = kwargs.get("user")
        if self.release and not policies.can_release(self.user):
            dataset.wipe()  # import-export goes on to the rows after this error: leave none
            raise SheetError(RELEASE_REFUSED)
        sheets = dataset_sheets(dataset)
        try:
            table = locate_table(sheets, self.columns)
        except SheetError:
            dataset.wipe()  # import-export goes on to the rows after this error: leave none
            raise
        self.letters, self.headers = table.letters, table.headers
        self.sheet_name = table.sheet if len(sheets) > 1 else ""
        records = self.prepare(table.rows)
        present = [key for key in self.fields if key in table.letters or key in self.derived]
        self.present = set(present)
        dataset.wipe()
        dataset.headers = [
            ROW_NUMBER,
            *(self.fields[key].column_name for key in present),
            *self.internal_headers,
        ]
        self.sheet_rows = []
        for number, record in records:
            self.sheet_rows.append(number)
            dataset.append(
                [
                    number,
                    *(record.get(key) for key in present),
                    *(record.get(h) for h in self.internal_headers),
                ]
            )

    derived: tuple[str, ...] = ()

    def prepare(self, rows):
        """Return (sheet row, values by field name) to import; record cross-row problems."""
        return rows

    def problem(self, index, key, message):
        self.problems[index].setdefault(key, []).append(message)

    # -- importing a row ---------------------------------------------------------------

    def import_row(self, row, instance_loader, **kwargs):
        index = kwargs["row_number"] - 1
        if self.is_unimportable(row):
            result = RowResult()
            if self.problems.get(index):
                result.import_type = RowResult.IMPORT_TYPE_INVALID
                result.validation_error = ValidationError(self.problems[index])
            else:
                result.import_type = RowResult.IMPORT_TYPE_SKIP
        else:
            result = super().import_row(row, instance_loader, **kwargs)
        if result.validation_error is not None:
            result.validation_error = self.located(index, result.validation_error)
        result.sheet_row = row.get(ROW_NUMBER)
        return result

    def after_import(self, dataset, result, **kwargs):
        # import-export numbers rows by their place in the dataset; a clerk needs the
        # spreadsheet's own row numbers, which title rows and merged blocks shift.
        for invalid in result.invalid_rows:
            invalid.number = self.sheet_rows[invalid.number - 1] or "—"
        if not (result.has_errors() or result.has_validation_errors()):
            imported_records_settle(
                records=[record for record, created in self.touched.values() if created],
                user=self.user,
                release=self.release,
            )

    # -- scope and workflow --------------------------------------------------------------

    def skip_row(self, instance, original, row, import_validation_errors=None):
        record, before = self.graded(instance), self.graded(original)
        fields_changed = {
            name
            for name, field in self.fields.items()
            if name in self.present and field.get_value(instance) != field.get_value(original)
        }
        changed = {self.policy_names.get(name, name) for name in fields_changed} - {None}
        created = before is None or before.pk is None
        if id(record) in self.touched:
            created = self.touched[id(record)][1]  # a project created by an earlier line
        problem = policies.import_row_problem(
            self.user, record, None if created else before, changed, release=self.release
        )
        if not problem and not created:
            line = instance if instance is not record else None
            problem = computed_elsewhere(record=record, line=line, changed=fields_changed)
        if not problem and (created or "firm" in changed):
            problem = firm_conflict(firm=record.firm, record=record)
        if not problem and created and self.release:
            problem = transition_problem("release", record)
        if problem:
            raise ValidationError({NON_FIELD_ERRORS: [problem]})
        self.touched.setdefault(id(record), (record, created))
        return super().skip_row(instance, original, row, import_validation_errors)

    def before_save_instance(self, instance, row, **kwargs):
        instance._history_user = self.user  # django-simple-history records who imported
        if instance.pk:
            instance.version += 1  # a form opened before this import is now out of date

    def is_unimportable(self, row):
        """Return True for a row that holds no record (a checked 合计 row, a broken 序号)."""
        return False

    def import_instance(self, instance, row, **kwargs):
        index = kwargs["row_number"] - 1
        errors = {}
        try:
            self.import_cells(instance, row)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for key, messages in self.problems.get(index, {}).items():
            errors.setdefault(key, []).extend(messages)
        self.derive_grade(instance, row)
        if errors:
            raise ValidationError(errors)

    def import_cells(self, instance, row):
        """Set each field the row has a cell for, as import-export's import_instance does.

        The same widgets, null and default rules and errors (keyed by attribute), without
        its four calls per field, which cost more than the widgets themselves.
        """
        if self._setters is None:
            self._setters = [
                (field, *field.attribute.rpartition("__")[::2])
                for field in self.get_import_fields()
                if field.attribute and not field.readonly
            ]
        errors = {}
        for field, path, name in self._setters:
            if field.column_name not in row:
                continue
            try:
                value = field.widget.clean(row[field.column_name], row=row)
            except ValueError as exc:
                errors[field.attribute] = ValidationError(str(exc), code="invalid")
                continue
            if field.default is not NOT_PROVIDED and value in field.empty_values:
                value = field.default() if callable(field.default) else field.default
            if value is not None or field.saves_null_values:
                target = instance
                for attr in path.split("__") if path else ():
                    target = getattr(target, attr, None)
                setattr(target, name, value)
        if errors:
            raise ValidationError(errors)

    def derive_grade(self, instance, row):
        """Give a record whose file leaves 等级 blank the grade of its score.

        A grade the file does state is compared with the score by the model's clean().
        """
        graded = self.graded(instance)
        if is_blank(row.get("等级")) and isinstance(graded.score, Decimal):
            graded.grade = grade_for(graded.score)

    def graded(self, instance):
        return instance

    def located(self, index, error):
        """Return the error with each message prefixed by file, row and column."""
        sheet_row = self.sheet_rows[index] if index < len(self.sheet_rows) else None
        file_and_sheet = (
            f"{self.file_name}「{self.sheet_name}」" if self.sheet_name else self.file_name
        )
        place = f"{file_and_sheet} 第{sheet_row}行" if sheet_row else file_and_sheet
        located = {}
        for key, messages in error.message_dict.items():
            column = self.column_of(key)
            where = place
            if column in self.letters:
                where = f"{place} {self.letters[column]}列「{self.headers[column]}」"
            elif column in self.fields:
                where = f"{place}「{self.fields[column].column_name}」"
            located[key] = [
                m if m.startswith(self.file_name) else f"{where}：{m}" for m in messages
            ]
        return ValidationError(located)

    def column_of(self, key):
        for name, field in self.fields.items():
            if key in (name, field.attribute):
                return name
        return key
