"""The resources API, under /api/v1/groups/{slug}/: one router per subdomain."""

from __future__ import annotations

from ninja import Router

from mutua.resources.api.callouts import router as callouts_router
from mutua.resources.api.gatherings import router as gatherings_router
from mutua.resources.api.ledger import router as ledger_router
from mutua.resources.api.shifts import router as shifts_router
from mutua.resources.api.stock import router as stock_router
from mutua.resources.api.things import router as things_router

router = Router()
router.add_router("", ledger_router)
router.add_router("", shifts_router)
router.add_router("", callouts_router)
router.add_router("", stock_router)
router.add_router("", things_router)
router.add_router("", gatherings_router)
