"""Helpers for tests that prove an operation wrote nothing: every table's row count, and a
block whose writes are rolled back."""

from contextlib import contextmanager

from django.apps import apps
from django.db import transaction


def row_counts(app_label: str | None = None) -> dict[str, int]:
    """Return the row count of every table (of one app, when given), many-to-many tables too."""
    models = (
        apps.get_app_config(app_label).get_models(include_auto_created=True)
        if app_label
        else apps.get_models(include_auto_created=True)
    )
    return {model._meta.db_table: model._default_manager.count() for model in models}


@contextmanager
def rolled_back():
    """Run the block in a transaction that is rolled back, whatever it wrote."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
