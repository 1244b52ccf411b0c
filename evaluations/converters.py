"""URL converters: <region:…> a 6-digit code, <year:…> a 4-digit year, <id:…> a record id
or number that fits the database's bigint (a longer one is a 404, not an overflow).

Registered when this module is first imported: every view module imports views.common,
which imports it, so a route using them is always built after them (even when the admin's
autodiscovery reaches a view module before the app is ready).
"""

from django.urls import register_converter


class RegionCodeConverter:
    regex = "[0-9]{6}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class YearConverter:
    regex = "[0-9]{4}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(RegionCodeConverter, "region")
register_converter(IdConverter, "id")
register_converter(YearConverter, "year")
