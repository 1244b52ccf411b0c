# Indexes for the public pages at a province's size (issue 7): partial indexes of the
# released rows, in the order the results pages list them (benchmarks/results/pages.md
# shows the plans that use them).
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0008_report_text_published"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="project",
            index=models.Index(
                condition=models.Q(("state", "released")),
                fields=["region", "year", "number"],
                name="project_public",
            ),
        ),
        migrations.AddIndex(
            model_name="unitevaluation",
            index=models.Index(
                condition=models.Q(("state", "released")),
                fields=["region", "year", "-score"],
                name="unit_evaluation_public",
            ),
        ),
    ]
