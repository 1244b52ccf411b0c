# Indexes for the public pages at a province's size (issue 7). Filled in by the page work.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0008_report_text_published"),
    ]

    operations = []
