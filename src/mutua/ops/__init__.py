"""Operations: backups and restores, health, metrics, logs and the board benchmark.

It sits at the top of the layers (docs/ARCHITECTURE.md), beside the URLs and the API,
because it reads every app's tables (a backup, the metrics) and imports none below it
for anything but reading.
"""
