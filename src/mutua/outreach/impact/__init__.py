"""The impact page's figures: aggregates of a group (and the groups inside it) over recent
weeks, with every count of fewer than five asks suppressed, and their charts."""
