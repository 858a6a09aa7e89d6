"""Governance pages, a module per subject: `founding` a group, `proposals`, `roles` and
trust, `records` (agreements and the log).

Proposals, roles and the log are for the group's members (an outsider gets a page saying
so, with the join button); agreements are public, so anyone can read a group's rules
before joining. Every page is plain HTML forms with POST-redirect-GET.
"""
