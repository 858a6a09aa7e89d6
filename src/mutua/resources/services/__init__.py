"""Every write to shared resources; one module per subdomain."""
