"""Main-text extraction from HTML with the standard library parser.

Scripts, styles and page furniture (navigation, headers, footers, asides, forms) are
dropped; block elements become line breaks so sentences do not run together."""

from __future__ import annotations

from html.parser import HTMLParser

_SKIP = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "template", "svg", "head",
         "iframe", "object", "button", "select", "canvas", "math", "dialog"}
_BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "blockquote", "tr", "pre"}


class _MainText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0
        self.title: str | None = None
        self.published: str | None = None
        self._in_title = False
        self._in_h1 = False
        self.h1: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and attrs.get("property") in ("article:published_time", "og:published_time"):
            self.published = self.published or attrs.get("content")
        if tag == "time" and attrs.get("datetime") and not self.published:
            self.published = attrs["datetime"]
        if tag == "title":
            self._in_title = True
        if tag == "body":  # an unclosed <head> (or <nav>) must not hide the whole page
            self.skip_depth = 0
        if tag in _SKIP:
            self.skip_depth += 1
        if tag == "h1":
            self._in_h1 = True
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if tag in _SKIP and self.skip_depth:
            self.skip_depth -= 1
        if tag == "h1":
            self._in_h1 = False
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if self._in_title:
            self.title = (self.title or "") + data
            return
        if self.skip_depth:
            return
        if self._in_h1 and self.h1 is None:
            self.h1 = data.strip() or None
        self.parts.append(data)


def extract_html(markup: str) -> tuple[str, str | None, str | None]:
    """Return (main text, title, published date string) of an HTML page."""
    parser = _MainText()
    parser.feed(markup)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).splitlines()]
    text = "\n".join(line for line in lines if line)
    title = (parser.title or "").strip() or parser.h1
    return text, title, parser.published
