"""The public site, one module per area: results (the tables and detail pages), and the
areas added on top of them, each with its own urlpatterns (evaluations.urls joins them)."""
