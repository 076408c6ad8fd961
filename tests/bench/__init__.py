"""``make bench``: speed figures measured in one run; each area is a module with ``run()``."""
