"""Relay conversations: the person who asked and their helper write to each other
through mutua (the page, the API, texts and e-mail replies) without either seeing the
other's number, e-mail or address."""
