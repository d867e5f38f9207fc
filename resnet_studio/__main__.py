"""Entry point for ``python -m resnet_studio``."""

import sys

from resnet_studio.cli import main

sys.exit(main())
