"""laas-audit: the six-monthly New e-LAAS user-group review (DLA control), as a library and a CLI."""

__version__ = "0.1.0"
