"""Writers of the ops app, by concern: backups (and restores), health (the heartbeat)."""
