"""Use cases: each opens one Session, calls crud and domain, and returns plain values."""
