"""A rendering as one self-contained HTML file: what a counsellor sends a student.

Rich records what it prints and exports it with inline styles: no scripts, no links to
fetch, every value escaped (a profile's text is data, never markup). The document is the
same table or checklist the terminal shows, in its colours.
"""

from __future__ import annotations

import html
import io

from rich.console import Console, RenderableType

WIDTH = 120

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta name="generator" content="admitcheck">
<title>{title}</title>
<style>
{{stylesheet}}
body {{{{ color: {{foreground}}; background-color: {{background}}; margin: 2em; }}}}
pre {{{{ font-family: Menlo, 'DejaVu Sans Mono', Consolas, 'Courier New', monospace; }}}}
</style>
</head>
<body>
<pre><code>{{code}}</code></pre>
</body>
</html>
"""


def document(renderable: RenderableType, title: str, width: int = WIDTH) -> bytes:
    """One HTML document showing the renderable as Rich prints it, styles inline."""
    console = Console(
        file=io.StringIO(),
        record=True,
        width=width,
        force_terminal=True,
        color_system="truecolor",
        highlight=False,
        emoji=False,
        _environ={},  # a file, not this terminal: no TERM=dumb width, no NO_COLOR
    )
    console.print(renderable)
    page = _PAGE.format(title=html.escape(title))
    return console.export_html(inline_styles=True, code_format=page).encode()
