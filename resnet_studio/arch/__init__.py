"""What a network is, as pure data: specs, presets, inference, project files.

Imports neither torch nor Qt, so the designer can show shapes before torch
has finished loading.
"""
