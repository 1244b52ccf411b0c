"""Charts of a year's results, each with its numbers as a table and a download."""

urlpatterns: list = []
