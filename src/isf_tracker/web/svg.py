"""SVG drawn by Vega, made fit to put inside a page: parsed and written again, so that

- only the elements Vega draws with are kept (no script, no foreignObject, no image) and no
  attribute that starts an event handler (`on…`); a link points only at an http(s) address;
- ids are prefixed, so two charts in one page never share a clip path;
- coordinates are rounded: to 2 decimals everywhere, and the long outlines of a map to a grid of
  GRID pixels, written relative, with points that fall on the same grid point merged (a country's
  border is rounded the same way on both sides, so neighbours still meet).

Pure: text in, text out. The serialiser (xml.etree) escapes every text and attribute value.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable

from isf_tracker.links import safe_href

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)

#: What Vega's SVG renderer writes; anything else is dropped with its content.
ELEMENTS = frozenset(
    {
        "svg",
        "g",
        "path",
        "rect",
        "line",
        "circle",
        "ellipse",
        "polygon",
        "polyline",
        "text",
        "tspan",
        "a",
        "defs",
        "clipPath",
        "linearGradient",
        "radialGradient",
        "stop",
        "title",
        "desc",
    }
)
HREFS = ("href", f"{{{XLINK_NS}}}href")
#: Pixels: the grid a map's outlines are rounded to (1 decimal at most in the output).
GRID = 0.5
#: Outlines with at least this many points are rounded to the grid (bars and symbols are not).
LONG_PATH = 12

_NUMBER = re.compile(r"-?\d*\.\d{3,}(?:e-?\d+)?")
_POLYLINE = re.compile(r"[MLZ0-9.,\-e ]+")
_COMMAND = re.compile(r"([MLZ])([^MLZ]*)")
_COORD = re.compile(r"-?\d*\.?\d+(?:e-?\d+)?")
_URL_REF = re.compile(r"url\(#([^)]+)\)")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _short(number: float) -> str:
    text = f"{number:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def round_numbers(value: str) -> str:
    """Every number with more than 2 decimals, rounded to 2."""
    return _NUMBER.sub(lambda m: _short(float(m.group())), value)


def _grid(value: float) -> int:
    return round(value / GRID)


def grid_path(d: str) -> str:
    """An outline of moves and lines (M, L, Z) rounded to the grid, relative, duplicates merged;
    a ring that shrinks below three distinct points is left out."""
    out: list[str] = []
    ring: list[tuple[int, int]] = []

    def flush(closed: bool) -> None:
        if len(set(ring)) >= 3:
            first, *rest = ring
            parts = [f"M{_short(first[0] * GRID)},{_short(first[1] * GRID)}"]
            previous = first
            for point in rest:
                parts.append(
                    f"l{_short((point[0] - previous[0]) * GRID)},{_short((point[1] - previous[1]) * GRID)}"
                )
                previous = point
            out.append("".join(parts) + ("Z" if closed else ""))
        ring.clear()

    for command, arguments in _COMMAND.findall(d):
        if command == "Z":
            flush(closed=True)
            continue
        numbers = [float(n) for n in _COORD.findall(arguments)]
        for i in range(0, len(numbers) - 1, 2):
            point = (_grid(numbers[i]), _grid(numbers[i + 1]))
            if command == "M" and i == 0 and ring:
                flush(closed=False)
            if not ring or ring[-1] != point:
                ring.append(point)
    flush(closed=False)
    return "".join(out)


def compact_path(d: str) -> str:
    if _POLYLINE.fullmatch(d) and d.count("L") + d.count(" ") >= LONG_PATH:
        return grid_path(d)
    return round_numbers(d)


def _clean_attributes(node: ET.Element, prefix: str) -> None:
    for name in list(node.attrib):
        value = node.attrib[name]
        local = _local(name)
        if local.lower().startswith("on") or local == "style":
            del node.attrib[name]
        elif name in HREFS:
            target = safe_href(value)
            if target is None:
                del node.attrib[name]
            else:
                node.attrib[name] = target
        elif local == "id":
            node.attrib[name] = prefix + value
        elif local == "d":
            node.attrib[name] = compact_path(value)
        else:
            value = _URL_REF.sub(lambda m: f"url(#{prefix}{m.group(1)})", value)
            node.attrib[name] = round_numbers(value) if any(c.isdigit() for c in value) else value


def _clean(node: ET.Element, prefix: str) -> None:
    for child in list(node):
        if not isinstance(child.tag, str) or _local(child.tag) not in ELEMENTS:
            node.remove(child)
            continue
        _clean_attributes(child, prefix)
        _clean(child, prefix)
        if _local(child.tag) == "path" and child.get("d") == "":
            node.remove(child)


def parse(svg: str, prefix: str = "") -> ET.Element:
    """The SVG as a cleaned element tree (see the module's docstring)."""
    root = ET.fromstring(svg)
    if _local(root.tag) != "svg":
        raise ValueError("not an SVG document")
    _clean_attributes(root, prefix)
    _clean(root, prefix)
    return root


def serialise(root: ET.Element) -> str:
    return ET.tostring(root, encoding="unicode")


def clean(svg: str, prefix: str = "", label: str | None = None) -> str:
    """The SVG cleaned, its ids prefixed with `prefix`, and named `label` for screen readers."""
    root = parse(svg, prefix)
    if label is not None:
        root.set("role", "img")
        root.set("aria-label", label)
    return serialise(root)


def size(root: ET.Element) -> tuple[float, float]:
    """The SVG's width and height in pixels."""
    return float(root.get("width", "0")), float(root.get("height", "0"))


def wrap(words: str, chars: int) -> list[str]:
    """Lines of at most `chars` characters, breaking at spaces, and inside a word (a URL) only
    when it is longer than a line."""
    lines: list[str] = []
    line = ""
    for word in words.split():
        while len(word) > chars:
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:chars])
            word = word[chars:]
        if line and len(line) + 1 + len(word) > chars:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return lines


def framed(
    chart: ET.Element,
    header: Iterable[tuple[str, int, bool]],
    footer: Iterable[tuple[str, int, bool]],
    margin: int = 12,
) -> ET.Element:
    """`chart` with lines of text above and below it, drawn in the image: each line (text, font
    size, bold) wrapped to the chart's width. The text is set by the serialiser, hence escaped."""
    width, height = size(chart)
    outer = ET.Element(f"{{{SVG_NS}}}svg", {"version": "1.1"})
    background = ET.SubElement(outer, f"{{{SVG_NS}}}rect", {"fill": "white", "width": _short(width)})
    y = float(margin)

    def write(lines: Iterable[tuple[str, int, bool]], colour: str) -> None:
        nonlocal y
        for words, font_size, bold in lines:
            for line in wrap(words, max(20, int((width - 2 * margin) / (font_size * 0.6)))):
                y += font_size * 1.3
                attributes = {
                    "x": str(margin),
                    "y": _short(y - font_size * 0.3),
                    "fill": colour,
                    "font-family": "sans-serif",
                    "font-size": str(font_size),
                }
                if bold:
                    attributes["font-weight"] = "bold"
                ET.SubElement(outer, f"{{{SVG_NS}}}text", attributes).text = line

    write(header, "#222222")
    y += margin / 2
    chart.set("x", "0")
    chart.set("y", _short(y))
    outer.append(chart)
    y += height + margin / 2
    write(footer, "#555555")
    y += margin
    total = _short(y)
    background.set("height", total)
    outer.set("width", _short(width))
    outer.set("height", total)
    outer.set("viewBox", f"0 0 {_short(width)} {total}")
    return outer
