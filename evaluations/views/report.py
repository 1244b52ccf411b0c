"""The annual report on spending performance, generated from data: web page and .docx."""

urlpatterns: list = []
