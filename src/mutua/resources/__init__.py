"""Shared resources of a group: the open ledger and money asks, shifts, callouts, stock."""
