"""Exports: coded data and codebooks rendered as documents (Markdown, HTML, XLSX)."""
