"""Discord adapters, one extension per capability. Every module here is loaded at start."""
