"""The command line: parse, call the library, print.

Commands live in :mod:`qualcode.commands`, one module each; this module only assembles them.
Exit codes: 0 success; 1 an error stopped the run (bad codebook, missing input, unwritable
output); 2 wrong usage; 3 the run finished but some inputs could not be read.
"""

from __future__ import annotations

import click

from qualcode import __version__
from qualcode.commands.agree import agree_command
from qualcode.commands.code import code_command
from qualcode.commands.codebook import codebook_group
from qualcode.commands.export import export_group
from qualcode.commands.import_ import import_group
from qualcode.commands.init import init_command
from qualcode.commands.kwic import kwic_command
from qualcode.commands.report import report_command
from qualcode.commands.review import review_command
from qualcode.commands.suggest import suggest_command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="qualcode")
def main() -> None:
    """Code interview transcripts with a codebook, explainably."""


main.add_command(code_command)
main.add_command(codebook_group)
main.add_command(review_command)
main.add_command(agree_command)
main.add_command(export_group)
main.add_command(import_group)
main.add_command(report_command)
main.add_command(init_command)
main.add_command(kwic_command)
main.add_command(suggest_command)


if __name__ == "__main__":  # pragma: no cover
    main()
