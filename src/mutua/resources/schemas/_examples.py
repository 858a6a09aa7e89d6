"""Examples in the OpenAPI document, shared by the resources schemas."""

from __future__ import annotations

from pydantic import ConfigDict
from pydantic.config import JsonDict


def examples(*given: JsonDict) -> ConfigDict:
    return ConfigDict(json_schema_extra={"examples": list(given)})
