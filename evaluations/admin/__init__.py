"""The working interface of the four workflow roles, and the superuser's for the rest.

results: the two result tables (scope and editable fields from the policy, writes through
the services), built from transitions (confirmation pages, batch actions), importing
(xlsx import and export) and history (read-only field history); queues: each role's work
queues on the admin index; events: the audit trail; accounts: who is which role;
reference: regions, units, firms and recusals.
"""

from . import accounts, assessment, events, ex_ante, jobs, reference, results  # noqa: F401  (they register the admins)
from .performance import REGISTERED  # noqa: F401  (targets, monitoring, self-evaluation, sheets)
