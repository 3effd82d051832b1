"""The command line (``python -m simulation …``): files and store in, French text or JSON out.

It sits above every other package: it reads inputs (``store``), runs the pure engine
(``simulation``), writes committee files (``exports``). ``simulation/__main__.py`` only hands
over to :func:`cli.main.main`, so the engine package imports nothing above it.
"""
