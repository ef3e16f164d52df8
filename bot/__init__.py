"""Hearth: a Discord bot that turns online contact into face-to-face connection."""

__version__ = "0.1.0"
