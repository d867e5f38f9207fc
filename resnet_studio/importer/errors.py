"""The one error of the importer: the source cannot be read at all."""

from __future__ import annotations


class SourceError(ValueError):
    """A model that cannot be loaded, traced or run on the example input; one line that
    says which and why. What can be read but not expressed goes in the report instead."""
