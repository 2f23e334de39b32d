"""Indicator formulas (MS-Ind `rumus`, a small LaTeX subset) as MathML.

Browsers render MathML natively, so no math library is shipped. What the
parser does not know is shown as the formula's text, never dropped.
"""
from __future__ import annotations

import re
from html import escape

from markupsafe import Markup

SYMBOLS = {
    "times": "×", "cdot": "·", "div": "÷", "pm": "±", "leq": "≤", "geq": "≥", "le": "≤",
    "ge": "≥", "neq": "≠", "approx": "≈", "sum": "∑", "prod": "∏", "infty": "∞",
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "Delta": "Δ", "mu": "μ",
    "sigma": "σ", "Sigma": "Σ", "pi": "π", "lambda": "λ", "theta": "θ", "%": "%",
    "ldots": "…", "dots": "…", ",": " ", ";": " ", "quad": " ",
}
OPERATORS = set("+-=×·÷±≤≥≠≈<>()[]|,/%∑∏")
_TOKEN = re.compile(r"\\([A-Za-z]+|.)|([A-Za-z]+)|(\d+(?:[.,]\d+)?)|(\s+)|(.)", re.S)


class FormulaError(ValueError):
    pass


def _tokens(text: str) -> list[tuple[str, str]]:
    out = []
    for command, word, number, space, other in _TOKEN.findall(text):
        if command:
            out.append(("cmd", command))
        elif word:
            out.append(("word", word))
        elif number:
            out.append(("num", number))
        elif space:
            out.append(("space", " "))
        elif other:
            out.append(("sym", other))
    return out


class _Parser:
    def __init__(self, text: str):
        self.tokens = _tokens(text)
        self.i = 0

    def peek(self):
        while self.i < len(self.tokens) and self.tokens[self.i][0] == "space":
            self.i += 1  # spacing in math mode is the renderer's business
        return self.tokens[self.i] if self.i < len(self.tokens) else (None, None)

    def take_raw(self):
        token = self.tokens[self.i] if self.i < len(self.tokens) else (None, None)
        self.i += 1
        return token

    def take(self):
        token = self.peek()
        self.i += 1
        return token

    def row(self, until: str | None = None) -> str:
        parts = []
        while True:
            kind, value = self.peek()
            if kind is None:
                if until:
                    raise FormulaError("unclosed group")
                break
            if kind == "sym" and value == until:
                self.take()
                break
            parts.append(self.scripted())
        return "".join(parts)

    def group(self) -> str:
        kind, value = self.peek()
        if kind == "sym" and value == "{":
            self.take()
            return f"<mrow>{self.row('}')}</mrow>"
        return self.atom()

    def raw_group(self) -> str:
        if self.take() != ("sym", "{"):
            raise FormulaError("{ expected")
        depth, text = 1, []
        while True:
            kind, value = self.take_raw()
            if kind is None:
                raise FormulaError("unclosed group")
            if (kind, value) == ("sym", "{"):
                depth += 1
            elif (kind, value) == ("sym", "}"):
                depth -= 1
                if not depth:
                    return "".join(text)
            text.append("\\" + value if kind == "cmd" else value)

    def scripted(self) -> str:
        base = self.atom()
        sub = sup = None
        while self.peek()[0] == "sym" and self.peek()[1] in "_^":
            mark = self.take()[1]
            if mark == "_":
                sub = self.group()
            else:
                sup = self.group()
        if sub and sup:
            return f"<msubsup>{base}{sub}{sup}</msubsup>"
        if sub:
            return f"<msub>{base}{sub}</msub>"
        if sup:
            return f"<msup>{base}{sup}</msup>"
        return base

    def atom(self) -> str:
        kind, value = self.take()
        if kind is None:
            raise FormulaError("unexpected end")
        if kind == "num":
            return f"<mn>{escape(value)}</mn>"
        if kind == "word":
            return f"<mi>{escape(value)}</mi>"
        if kind == "sym":
            if value == "{":
                return f"<mrow>{self.row('}')}</mrow>"
            if value in "}_^":
                raise FormulaError(f"unexpected {value}")
            return f"<mo>{escape(value)}</mo>"
        if value in ("frac", "dfrac", "tfrac"):
            return f"<mfrac>{self.group()}{self.group()}</mfrac>"
        if value == "sqrt":
            return f"<msqrt>{self.group()}</msqrt>"
        if value in ("text", "mathrm", "textrm", "mbox", "operatorname"):
            return f"<mtext>{escape(self.raw_group())}</mtext>"
        if value in ("left", "right"):
            _, fence = self.take()
            return f"<mo>{escape(fence or '')}</mo>" if fence not in (None, ".") else ""
        if value in SYMBOLS:
            symbol = SYMBOLS[value]
            tag = "mo" if symbol in OPERATORS or value in ("sum", "prod") else "mi"
            if symbol == " ":
                return "<mspace width='0.3em'></mspace>"
            return f"<{tag}>{escape(symbol)}</{tag}>"
        raise FormulaError(f"unknown command \\{value}")


def to_mathml(text: str) -> str:
    """MathML for TEXT; raises FormulaError on what it cannot read."""
    body = _Parser(text).row()
    return (f'<math display="block" xmlns="http://www.w3.org/1998/Math/MathML">'
            f'<semantics><mrow>{body}</mrow>'
            f'<annotation encoding="application/x-tex">{escape(text)}</annotation></semantics></math>')


def render(text: str | None) -> Markup:
    """The formula as MathML, or as its text when it cannot be read."""
    if not text:
        return Markup("")
    try:
        return Markup(to_mathml(text))
    except FormulaError:
        return Markup(f'<code class="satudata-formula-text">{escape(text)}</code>')
