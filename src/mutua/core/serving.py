"""`serving`: called once `mutua serve` answers on its address, with that address.

Apps above core register what to say then; the demo says how to log in, last, so the
line is not lost above the server's own output.
"""

from __future__ import annotations

from mutua.core.hooks import Hook

# The address people open, such as "http://127.0.0.1:8000/".
serving: Hook[str] = Hook("core.serving")
