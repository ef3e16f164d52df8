"""`python -m bot demo`: the real bot against SimCord's simulated Discord, narrated for a person."""
