"""MS-Ind formulas as MathML."""
import lxml.etree as etree

from ckanext.satudata.public import formula


def parsed(tex):
    return etree.fromstring(formula.to_mathml(tex).encode())


NS = {"m": "http://www.w3.org/1998/Math/MathML"}


def test_fraction_subscripts_and_operators():
    math = parsed(r"RJK = \frac{P_L}{P_P} \times 100")
    row = math.find("m:semantics/m:mrow", NS)
    assert [child.tag.split("}")[1] for child in row] == ["mi", "mo", "mfrac", "mo", "mn"]
    numerator, denominator = row.find("m:mfrac", NS)
    assert [e.text for e in numerator.iter() if e.text] == ["P", "L"]
    assert [e.text for e in denominator.iter() if e.text] == ["P", "P"]
    assert math.find("m:semantics/m:annotation", NS).text == r"RJK = \frac{P_L}{P_P} \times 100"


def test_sum_sqrt_text_and_greek():
    math = parsed(r"\sigma = \sqrt{\frac{\sum_{i=1}^{n} (x_i - \mu)^2}{n}} \text{ orang}")
    assert math.find(".//m:msqrt/m:mrow/m:mfrac", NS) is not None
    assert math.find(".//m:msubsup/m:mo", NS).text == "∑"
    assert math.find(".//m:mtext", NS).text == " orang"
    assert [e.text for e in math.iter("{%s}mi" % NS["m"])][:1] == ["σ"]


def test_what_cannot_be_read_is_shown_as_text_and_escaped():
    assert str(formula.render(r"\frac{a}{b")) == r'<code class="satudata-formula-text">\frac{a}{b</code>'
    assert str(formula.render(r"\foo{<b>}")) == '<code class="satudata-formula-text">\\foo{&lt;b&gt;}</code>'
    assert "&lt;" in formula.to_mathml("a < b")
    assert str(formula.render("")) == ""
