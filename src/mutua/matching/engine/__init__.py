"""mutua's dispatch engine: asks and helpers as arrays in, an optimal assignment out.

Pure NumPy / SciPy / OR-Tools / Numba, with no Django, so it runs on spreadsheets, in
benchmarks and inside the web app alike. docs/DISPATCH.md explains the method.
"""

from __future__ import annotations

from .model import (
    AskArrays,
    Assignment,
    EngineInputError,
    HelperArrays,
    Reason,
    great_circle_km,
)
from .solve import solve

__all__ = [
    "AskArrays",
    "Assignment",
    "EngineInputError",
    "HelperArrays",
    "Reason",
    "great_circle_km",
    "solve",
]
