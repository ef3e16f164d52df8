"""Shared Discord presentation: replies, embeds, time formatting."""
