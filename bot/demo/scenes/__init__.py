"""Demo scenes, one module per capability, played in order."""
