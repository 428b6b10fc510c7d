"""capcli: the command-line toolkit of Cap emploi advisers."""

__version__ = "0.1.0"
