"""Every change to the directory goes through a function here (one module per concern)."""
