"""`mutua demo`: a realistic network of groups, members, asks and offers to try mutua with.

It builds data for every app through their services, so it sits at the top of the layers
(docs/ARCHITECTURE.md). The builder is `mutua.demo.network`.
"""
