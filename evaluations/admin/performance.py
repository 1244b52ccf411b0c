"""The performance-management admins: frameworks, targets, monitoring, self-evaluation
tables, the firms' sheets and the problems found. Importing this module registers them."""

from . import frameworks, monitoring, problems, self_evaluations, targets, third_party

REGISTERED = (frameworks, monitoring, problems, self_evaluations, targets, third_party)
