"""Benny's domain: odds math, models, simulations. Pure where it can be; no I/O in its math."""
