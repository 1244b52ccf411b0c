from evaluations.services.imports import results_import


def import_units(region, data, *, year=2021, file_name="units.xlsx", **kwargs):
    return results_import(
        table="units", region=region, year=year, data=data, file_name=file_name, **kwargs
    )


def import_projects(region, data, *, year=2021, file_name="projects.xlsx", **kwargs):
    return results_import(
        table="projects", region=region, year=year, data=data, file_name=file_name, **kwargs
    )
