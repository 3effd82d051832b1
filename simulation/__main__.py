"""``python -m simulation …``: the documented command, handed over to the ``cli`` package.

The one import of ``simulation`` that runs upward (allowed by the layers contract): the engine
package stays pure, the command line lives above it.
"""

import sys

from cli.main import main

sys.exit(main())
