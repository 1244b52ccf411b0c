"""The pieces of the production hardening that settings alone cannot express."""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.contrib import admin
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.shortcuts import render


def admin_prefix() -> str:
    """Return the path the admin is served under, e.g. "/admin/" (settings.ADMIN_URL)."""
    return f"/{settings.ADMIN_URL}"


class PolicyByPathMiddleware(CSPMiddleware):
    """Serve the admin its own, looser content security policy; every other page the strict one.

    The admin's templates (Django's, django-import-export's, django-simple-history's and this
    project's) use inline styles and one inline event handler, which the public policy forbids.
    Their policy follows the admin to whatever path ADMIN_URL puts it on.
    """

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if (
            not report_only
            and parts.config is None
            and request.path_info.startswith(admin_prefix())
        ):
            parts.config = settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
        return parts


class SizeCappedUploadHandler(TemporaryFileUploadHandler):
    """Write at most UPLOAD_MAX_BYTES + 1 bytes of an uploaded file to disk.

    The file keeps its real size, so the import form refuses it with a message naming the
    size and the limit (evaluations.admin.forms.upload_size_check); a huge upload cannot
    fill the disk on the way.
    """

    def receive_data_chunk(self, raw_data, start):
        room = settings.UPLOAD_MAX_BYTES + 1 - start
        if room > 0:
            self.file.write(raw_data[:room])


def client_address(request) -> str:
    """Return the client's address as the outermost of our TRUSTED_PROXY_COUNT proxies saw it.

    Each proxy appends the address it received the request from to X-Forwarded-For, so the
    entries a client wrote itself come first and can never be picked.
    """
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if count and len(forwarded) >= count and forwarded[-count]:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")


def lockout_response(request, original_response, credentials):
    """Render axes' lockout as an admin page in Chinese, saying how long to wait."""
    context = {
        **admin.site.each_context(request),
        "title": "登录已暂时锁定",
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "admin/lockout.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
