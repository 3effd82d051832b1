"""Pure frame builders: a ``Result``, a scenario or the history in, a French table out.

No Streamlit here (an import contract checks it), so every table a page shows is testable as a
plain function. The Streamlit side (widgets, session state, layout) is the rest of ``ui``.
"""
