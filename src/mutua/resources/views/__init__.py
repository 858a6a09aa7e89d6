"""The resources pages, one module per subdomain."""
