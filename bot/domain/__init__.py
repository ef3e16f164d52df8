"""Pure logic: no discord imports, no I/O, `now` is always an argument."""
