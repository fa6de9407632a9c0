"""Reading generated pages back: HTML elements and text, Markdown rendered to HTML."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from markdown_it import MarkdownIt

_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)


_BLOCKS = frozenset(
    {"p", "div", "dt", "dd", "li", "td", "th", "tr", "h1", "h2", "h3", "h4", "figure", "table"}
)


@dataclass
class ParsedHtml:
    elements: list[str] = field(default_factory=list)
    attributes: list[tuple[str, str, str | None]] = field(default_factory=list)
    text: str = ""
    ids: set[str] = field(default_factory=set)
    hrefs: list[str] = field(default_factory=list)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.result = ParsedHtml()
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.result.elements.append(tag)
        for name, value in attrs:
            self.result.attributes.append((tag, name, value))
            if name == "id" and value:
                self.result.ids.add(value)
            if name == "href" and value:
                self.result.hrefs.append(value)
        if tag == "br" or tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def parse_html(text: str) -> ParsedHtml:
    collector = _Collector()
    collector.feed(text)
    collector.close()
    collector.result.text = "".join(collector.parts)
    return collector.result


_MARKDOWN = MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")


def markdown_to_html(text: str) -> str:
    """CommonMark with GitHub tables and raw HTML allowed, as GitHub renders it."""
    return str(_MARKDOWN.render(text))


MERMAID_BLOCK = re.compile(r"^```mermaid\n(.*?)^```$", re.DOTALL | re.MULTILINE)


def mermaid_blocks(markdown: str) -> list[str]:
    return MERMAID_BLOCK.findall(markdown)


def squash(text: str) -> str:
    """Whitespace runs as one space: line breaks in rendered text vary by format."""
    return re.sub(r"\s+", " ", text)
