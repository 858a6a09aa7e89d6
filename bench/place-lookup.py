"""Time the first place lookup of a fresh process, and of a fresh `mutua serve`.

    DATABASE_URL=... MUTUA_DATA_DIR=... python bench/place-lookup.py [--serve] [TEXT]

Without --serve: a new Python process sets Django up, then calls
understand(TEXT) (default "Bethnal Green") twice and confirm(TEXT) once, and prints the
wall and CPU time of each and the process's peak memory. The first call pays for loading
(or, with no prepared file in MUTUA_DATA_DIR yet, building) the offline gazetteer.

With --serve: starts `mutua serve --no-worker` on a free port, waits until it answers,
then times four requests of the ask form's place preview (/ask/place/?place=TEXT); with
two web processes, the first request of each shows what a person would wait.
"""

from __future__ import annotations

import os
import resource
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request


def lookup(text: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutua.settings")
    import django

    django.setup()
    from mutua.groups.selectors.places import confirm, understand

    timings = []
    for call in (understand, understand, confirm):
        wall, cpu = time.perf_counter(), time.process_time()
        call(text)
        timings.append((time.perf_counter() - wall, time.process_time() - cpu))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    (first, first_cpu), (later, later_cpu), (confirmed, _cpu) = timings
    print(
        f"first understand {first:.3f} s wall, {first_cpu:.3f} s CPU; "
        f"later {1000 * later:.1f} ms wall, {1000 * later_cpu:.1f} ms CPU; "
        f"confirm {1000 * confirmed:.1f} ms; peak memory {peak:.0f} MiB"
    )


def serve(text: str) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    argv = [sys.executable, "-m", "mutua", "serve", "--no-worker", "--port", str(port)]
    started = time.perf_counter()
    server = subprocess.Popen(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                urllib.request.urlopen(base + "/healthz/live", timeout=2).read()  # noqa: S310
                break
            except OSError:
                time.sleep(0.1)
        answered = time.perf_counter() - started
        preview = base + "/ask/place/?" + urllib.parse.urlencode({"place": text})
        times = []
        for _ in range(4):
            start = time.perf_counter()
            urllib.request.urlopen(preview, timeout=120).read()  # noqa: S310
            times.append(time.perf_counter() - start)
        shown = ", ".join(f"{t:.2f}" for t in times)
        print(f"server answered after {answered:.1f} s; place previews (s): {shown}")
    finally:
        os.killpg(server.pid, 15)
        server.wait(30)


if __name__ == "__main__":
    args = sys.argv[1:]
    with_server = "--serve" in args
    words = " ".join(a for a in args if a != "--serve") or "Bethnal Green"
    if with_server:
        serve(words)
    else:
        lookup(words)
