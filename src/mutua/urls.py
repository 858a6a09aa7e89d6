from __future__ import annotations

from django.urls import include, path

from mutua.api import api
from mutua.ops import views as ops_views

urlpatterns = [
    path("healthz", ops_views.healthz, name="healthz"),
    path("healthz/live", ops_views.live, name="live"),
    path("metrics", ops_views.metrics_view, name="metrics"),
    path("api/v1/", api.urls),
    path("", include("mutua.federation.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("mutua.me.urls")),
    path("", include("mutua.people.urls")),
    path("", include("mutua.privacy.urls")),
    path("", include("mutua.checkins.urls")),
    path("", include("mutua.incidents.urls")),
    # Before the groups pages, so that /groups/new/ is not read as a group called "new".
    path("", include("mutua.governance.urls")),
    path("", include("mutua.resources.urls")),
    path("", include("mutua.groups.urls")),
    path("", include("mutua.exchange.urls")),
    path("", include("mutua.aid.urls")),
    path("", include("mutua.relay.urls")),
    path("", include("mutua.matching.urls")),
    path("", include("mutua.notify.urls")),
    path("", include("mutua.outreach.urls")),
    path("", include("mutua.core.urls")),
]
