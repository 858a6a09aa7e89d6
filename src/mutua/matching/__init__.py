"""Dispatch: the matching engine (`engine/`, no Django) and its database adapter."""
