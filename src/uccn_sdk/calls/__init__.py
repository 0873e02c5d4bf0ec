"""Calls for contributions: opening, gathering replies, reminding, closing and exporting."""
