"""The shapes of the resources API, one module per subdomain: input checked for shape
only, services do the rest."""
