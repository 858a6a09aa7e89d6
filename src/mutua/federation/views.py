"""/.well-known/mutua: who this server is, its keys and its inbox, for other servers."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from mutua.federation import services


@require_GET
def well_known(request: HttpRequest) -> JsonResponse:
    base = services.public_url(request.build_absolute_uri("/"))
    response = JsonResponse(services.document(base_url=base))
    # Any other server's script may read it; it holds only public keys.
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=300"
    return response
