"""Writes. Each service is keyword-only, named <entity>_<action>, and runs in one transaction.

- imports: results tables from xlsx (django-import-export underneath);
- workflow: transitions of evaluations, edits by the party whose turn it is.
"""
