"""The performance-management admins: frameworks, targets, monitoring, self-evaluation
tables, the firms' sheets and the problems found. Importing this module registers them."""

from . import frameworks, monitoring, problems, self_evaluations, targets, third_party
from .application import BudgetDecisionAdmin  # noqa: F401  (registers result application)
from .report import ReportTextAdmin  # noqa: F401  (registers the annual report's narrative)

REGISTERED = (frameworks, monitoring, problems, self_evaluations, targets, third_party)
