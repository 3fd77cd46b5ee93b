"""The supervisor's report: one self-contained, offline HTML file built from an output folder.

``build_report`` turns an :class:`~qualcode.outputs.OutputFolder` into a typed context
(:mod:`qualcode.report.context`); ``render_html`` renders it with jinja2 (autoescape on,
``StrictUndefined``) from ``templates/report.html.j2``.
"""

from qualcode.report.build import build_report, render_html

__all__ = ["build_report", "render_html"]
