"""Using the admin the way a browser does: open a page, post back what it shows."""

from django.contrib.messages import get_messages
from django.urls import reverse


def admin_url(record, view="change", *args):
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[record.pk, *args])


def changelist_url(model, query=""):
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    return f"{url}?{query}" if query else url


def transition_url(record, name):
    return admin_url(record, "transition", name)


def listed_ids(response) -> set[int]:
    """Return the ids of the records a changelist shows."""
    return {record.pk for record in response.context["cl"].result_list}


def _value(bound_field):
    value = bound_field.value()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    return str(value)


def form_data(response, **changes) -> dict[str, str]:
    """Return the POST data of a change form as rendered, with the given fields changed.

    The editable fields of the main form and of every inline, and each formset's
    management form, exactly as a browser would send them back.
    """
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        data[form[name].html_name] = _value(form[name])
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            data[formset.management_form[name].html_name] = _value(formset.management_form[name])
        for line in formset.forms:
            for name in line.fields:
                data[line[name].html_name] = _value(line[name])
    data.update({name: str(value) for name, value in changes.items()})
    data["_continue"] = "1"
    return data


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def fire(client, record, name, *, comment="", version=None, firm=None):
    """Post a transition's confirmation as the page would, with the version it showed."""
    data = {"comment": comment, "version": record.version if version is None else version}
    if firm is not None:
        data["firm"] = firm.pk
    return client.post(transition_url(record, name), data)
