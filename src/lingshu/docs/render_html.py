"""The HTML renderer: one self-contained page per document (inline CSS and SVG, PNG as data URIs).

Nothing is linked: the bureau's intranet has no internet, and a document is mailed around as one file.
"""

from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path

import jinja2

from lingshu import __version__
from lingshu.docs.model import Document, cell_text

_ENV = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"), autoescape=True,
                          trim_blocks=True, lstrip_blocks=True)
_ENV.filters["cell"] = cell_text
_ENV.filters["b64"] = lambda data: base64.b64encode(data).decode("ascii")


def render_html(doc: Document) -> str:
    return _ENV.get_template("document.html.j2").render(
        doc=doc, version=__version__, generated=dt.datetime.now().strftime("%Y-%m-%d %H:%M"))
