"""Services: decide what happens, using domain rules and the store. No Discord objects in or out."""
