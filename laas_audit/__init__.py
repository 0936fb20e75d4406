"""laas-audit: the six-monthly New e-LAAS user-group review (DLA control): library and CLI."""

__version__ = "0.1.0"
