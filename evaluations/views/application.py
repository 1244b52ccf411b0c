"""How a year's results moved next year's budget (结果应用), as the public sees it."""

urlpatterns: list = []
