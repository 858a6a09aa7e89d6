"""Every write of incidents: opening and closing them (lifecycle), their cases (cases),
and the work groups and volunteers take on (work)."""
