"""Search across units and projects by name, and the download page with its data dictionary."""

urlpatterns: list = []
