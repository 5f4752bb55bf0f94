"""PDFs from the same templates as the printable pages (WeasyPrint, DESIGN.md).

Static files are read from disk through Django's finders, never fetched over the network, so a
PDF renders the same on a machine without internet and in tests without a running server.
Anything else a template might reference from outside is refused.
"""

import logging
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string

STATIC_PREFIX = "file:///__static__/"

# WeasyPrint logs every CSS rule it skips (KERN's media queries) and each rendering step.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("weasyprint.progress").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.WARNING)


def _fetcher():
    from weasyprint.urls import URLFetcher

    class LocalStaticFetcher(URLFetcher):
        """Static files from disk, data: URIs as they are, everything else refused."""

        def fetch(self, url, headers=None):
            if url.startswith(STATIC_PREFIX):
                relative = url[len(STATIC_PREFIX) :].split("?")[0].split("#")[0]
                found = finders.find(relative)
                if found is None and settings.STATIC_ROOT:
                    candidate = Path(settings.STATIC_ROOT) / relative
                    found = str(candidate) if candidate.exists() else None
                if found is None:
                    raise ValueError(f"static file not found: {relative}")
                return super().fetch(Path(found).as_uri(), headers)
            if url.startswith("data:"):
                return super().fetch(url, headers)
            raise ValueError(f"PDF rendering does not fetch {url}")

    return LocalStaticFetcher(allowed_protocols={"file", "data"})


def render_pdf_bytes(template: str, context: dict, request=None) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, context, request=request)
    # Templates use {% static %} ("/static/…"); map it to the local fetcher above.
    html = html.replace(f'"{settings.STATIC_URL}', f'"{STATIC_PREFIX}')
    return HTML(string=html, base_url=STATIC_PREFIX, url_fetcher=_fetcher()).write_pdf(
        pdf_variant="pdf/ua-1"
    )


def pdf_response(template: str, context: dict, *, filename: str, request=None) -> HttpResponse:
    response = HttpResponse(
        render_pdf_bytes(template, context, request=request), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
