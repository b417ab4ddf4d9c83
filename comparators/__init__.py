"""Parallax's engine: plain functions on plain data, one module per pipeline stage.

collect → clean → language → passages → translate → align → claims → coverage → report/tables/export
"""

__version__ = "0.1.0"
