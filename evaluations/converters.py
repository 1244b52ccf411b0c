"""URL converters of the public pages: <region:…> a 6-digit code, <year:…> a 4-digit year.

Registered once, when the app is ready (apps.EvaluationsConfig.ready).
"""


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
