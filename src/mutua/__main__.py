from __future__ import annotations

from mutua.cli import main

if __name__ == "__main__":
    main()
