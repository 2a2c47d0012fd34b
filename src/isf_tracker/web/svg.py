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

import itertools
import re
import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Iterable

from isf_tracker.links import safe_href

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)

#: What Vega's SVG renderer writes; anything else is dropped with its content.
_STRUCTURE = ("svg", "g", "a", "defs", "clipPath", "linearGradient", "radialGradient", "stop")
_SHAPES = ("path", "rect", "line", "circle", "ellipse", "polygon", "polyline")
ELEMENTS = frozenset((*_STRUCTURE, *_SHAPES, "text", "tspan", "title", "desc"))
HREFS = ("href", f"{{{XLINK_NS}}}href")
#: Pixels: the grid a map's outlines are rounded to (1 decimal at most in the output).
GRID = 0.5
#: Outlines with at least this many points are rounded to the grid (bars and symbols are not).
LONG_PATH = 12

_NUMBER = re.compile(r"-?\d*\.\d{3,}(?:e-?\d+)?")
_POLYLINE = re.compile(r"[MLZ0-9.,\-e ]+")
_RING = re.compile(r"(M[^MZ]*)(Z?)")
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


def grid_path(d: str) -> str:
    """An outline of moves and lines (M, L, Z) rounded to the grid, relative, repeated points
    merged; a ring that shrinks below three distinct points is left out."""
    out = []
    for ring, closed in _RING.findall(d):
        numbers = [round(float(n) / GRID) for n in _COORD.findall(ring)]
        pairs = zip(numbers[::2], numbers[1::2], strict=False)  # an odd number left over is dropped
        points = [point for point, _ in itertools.groupby(pairs)]
        if len(set(points)) < 3:
            continue
        (x, y), steps = points[0], itertools.pairwise(points)
        lines = "".join(f"l{_short((b[0] - a[0]) * GRID)},{_short((b[1] - a[1]) * GRID)}" for a, b in steps)
        out.append(f"M{_short(x * GRID)},{_short(y * GRID)}{lines}{closed}")
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
        if _local(child.tag) not in ELEMENTS:
            node.remove(child)
            continue
        _clean_attributes(child, prefix)
        _clean(child, prefix)
        if _local(child.tag) == "path" and child.get("d") == "":
            node.remove(child)


def clean(svg: str, prefix: str, label: str) -> str:
    """The SVG cleaned (see the module's docstring), its ids prefixed with `prefix`, and named
    `label` for screen readers."""
    root = ET.fromstring(svg)
    _clean_attributes(root, prefix)
    _clean(root, prefix)
    root.set("role", "img")
    root.set("aria-label", label)
    return ET.tostring(root, encoding="unicode")


def framed(
    clean_svg: str,
    label: str,
    header: Iterable[tuple[str, int, bool]],
    footer: Iterable[tuple[str, int, bool]],
    margin: int = 12,
) -> str:
    """A `clean` chart with lines of text above and below it, drawn in the image: each line (text,
    font size, bold) wrapped to the chart's width. The text is set by the serialiser, hence escaped."""
    chart = ET.fromstring(clean_svg)
    width, height = float(chart.get("width", "0")), float(chart.get("height", "0"))
    outer = ET.Element(f"{{{SVG_NS}}}svg", {"version": "1.1", "role": "img", "aria-label": label})
    background = ET.SubElement(outer, f"{{{SVG_NS}}}rect", {"fill": "white", "width": _short(width)})
    y = float(margin)

    def write(lines: Iterable[tuple[str, int, bool]], colour: str) -> None:
        nonlocal y
        for words, font_size, bold in lines:
            chars = max(20, int((width - 2 * margin) / (font_size * 0.6)))
            for line in textwrap.wrap(words, chars, break_on_hyphens=False):
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
    return ET.tostring(outer, encoding="unicode")
