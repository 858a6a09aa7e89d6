"""aid's part of the HTTP API (mutua.api mounts the routers): asks, offers and answers to
them, claims, passing asks between groups, the network's figures, and places in words."""
