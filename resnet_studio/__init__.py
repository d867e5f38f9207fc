"""ResNet Studio: design, train and export residual networks."""

__version__ = "0.1.0"
