"""Hand-off tickets: the store, the ticket's summary, business hours and the agents' CLI."""
