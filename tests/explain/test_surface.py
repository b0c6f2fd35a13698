"""The words of the "Your own surface" page: the textbook sentences at the presets, and every
sentence checked against the numbers it is about (the Hessian's eigenvalues, the places, the
statuses), including random quadratics whose kind is known in closed form."""

import dataclasses
import math
import re

import numpy as np
import pytest

from explain import surface as words
from explain.format import plain
from optimizers import expression as ex
from optimizers import multivariate as mv
from optimizers import surface as sf


def shown(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


def analyse(f, box=sf.DEFAULT_BOX, goal="min", g=None, certificate=False):
    return sf.analyse(f, *box, goal, g, certificate=certificate)


@pytest.fixture(scope="module")
def stewart():
    return sf.analyse()


class TestDefaults:
    """Stewart's x⁴ + y⁴ − 4xy + 1 on [−2, 2]²: minima of −1 at ±(1, 1), a saddle at 0."""

    def test_metrics(self, stewart):
        assert words.metrics(stewart) == [
            ("Global minimum", "−1", "The lowest value of f on the whole box, edges and corners included."),
            ("Reached at", "(−1, −1) and (1, 1)", "Every place where f reaches −1 (ties within rounding)."),
            ("Critical points", "3", "Points strictly inside the box where ∇f = 0: 2 minima and 1 saddle."),
        ]

    def test_hessian_test(self, stewart):
        minimum, saddle, other = stewart.critical_points
        assert words.hessian_test(minimum) == "At (−1, −1), H has eigenvalues 8 and 16, both positive: a minimum."
        assert words.hessian_test(saddle) == (
            "At (0, 0), H has eigenvalues −4 and 4, one negative and one positive: a saddle."
        )
        assert "H has eigenvalues 8 and 16, both positive: a minimum" in words.hessian_test(other)

    def test_answer_and_certificate(self, stewart):
        assert words.answer(stewart) == (
            "**The global minimum of f on the box is −1, at (−1, −1) and (1, 1).** Inside the box ∇f = 0 at each. "
            "At (−1, −1), H has eigenvalues 8 and 16, both positive: a minimum."
        )
        head, detail, ok = words.badge(stewart)
        assert ok
        assert head.startswith("Certified: nothing in the box is below −1 − ")
        assert f"over {stewart.certificate.cells:,} cells of the box" in detail

    def test_path(self, stewart):
        box = stewart.box
        p = sf.path(ex.prepare_xy(sf.DEFAULT_FORMULA), box, sf.DEFAULT_START)
        assert words.path_text(p, box, sf.DEFAULT_START, "min", "gradient", stewart.f_scale) == (
            "**Gradient descent** from (−1.5, 1.2) came to rest at (−1, −1) after 16 steps, where f = −1."
        )

    def test_table_and_latex(self, stewart):
        table = words.points_table(stewart)
        assert table.values.tolist() == [
            ["(−1, −1)", "−1", "minimum", "8, 16"],
            ["(0, 0)", "1", "saddle", "−4, 4"],
            ["(1, 1)", "−1", "minimum", "8, 16"],
        ]
        assert r"\frac{\partial f}{\partial x} &= 4 x^{3} - 4 y" in words.latex(stewart)
        assert list(stewart.table().columns) == ["x", "y", "value", "kind"]

    def test_maximum_on_corners(self):
        r = analyse(sf.DEFAULT_FORMULA, goal="max")
        assert words.metrics(r)[:2] == [
            ("Global maximum", "49", "The highest value of f on the whole box, edges and corners included."),
            ("Reached at", "(−2, 2) and (2, −2)", "Every place where f reaches 49 (ties within rounding): (−2, 2) (a corner) and (2, −2) (a corner)."),
        ]  # fmt: skip
        assert "On the boundary ∇f need not be zero: there the box stops you, and f would rise further" in (
            words.answer(r)
        )


class TestPresets:
    @pytest.mark.parametrize("key", list(sf.PRESETS))
    def test_every_metric_is_the_result(self, key):
        f, box, goal, g, _ = sf.PRESETS[key]
        r = analyse(f, box, goal, g)
        m = {label: value for label, value, _ in words.metrics(r)}
        word = "Global minimum" if goal == "min" else "Global maximum"
        best = r.constraint if g else r.optimum
        assert m[word] == words.value(best.value, r.f_scale, words.CONSTRAINED_DIGITS if g else 6)
        spots = [words.coordinates(p.x, p.y, r.box) for p in best.places]
        room = words.METRIC_CHARS_FOUR if g else words.METRIC_CHARS
        assert len(m["Reached at"]) <= room
        if m["Reached at"] == f"{len(spots)} places":
            assert len(spots) > 1
        else:
            assert all(s in m["Reached at"] for s in spots)
        helps = {label: help for label, _, help in words.metrics(r)}
        assert all(s in m["Reached at"] + helps["Reached at"] for s in spots[: words.LISTED_PLACES])
        inside = sum(p.location is mv.Location.INTERIOR for p in r.critical_points)
        assert m["Critical points"] == str(inside)
        assert ("Lagrange multiplier" in m) == bool(g)
        assert key in words.PRESET_LABELS
        assert key in words.PRESET_HELP

    def test_himmelblau_ties_are_all_listed(self):
        f, box, goal, g, _ = sf.PRESETS["himmelblau"]
        r = analyse(f, box, goal, g)
        (_, value, _), (_, reached, help_text), (_, count, count_help) = words.metrics(r)
        assert value == "0"
        assert reached == "4 places"  # was '(−3.779, −3.283), (−2.805, 3.131) and 2 more', cut in a metric
        assert help_text == (
            "Every place where f reaches 0 (ties within rounding): (−3.779, −3.283), (−2.805, 3.131), (3, 2) and "
            "(3.584, −1.848)."
        )
        assert count == "9"
        assert count_help == "Points strictly inside the box where ∇f = 0: 4 minima, 1 maximum and 4 saddles."

    def test_corners_keep_their_tags_in_the_help(self):
        """x³ − 3xy² on the default box: its minimum −16 at two corners, whose tags made the
        metric '(2, −2) (a corner) and (2, 2) (a corner)', cut at 1400 and 390 px."""
        r = analyse("x^3 - 3xy^2")
        assert words.metrics(r)[1] == (
            "Reached at",
            "(2, −2) and (2, 2)",
            "Every place where f reaches −16 (ties within rounding): (2, −2) (a corner) and (2, 2) (a corner).",
        )

    def test_degenerate_point(self):
        f, box, goal, g, _ = sf.PRESETS["monkey"]
        r = analyse(f, box, goal, g)
        (point,) = r.critical_points
        assert point.kind is mv.Kind.DEGENERATE
        assert words.hessian_test(point, r.box) == (
            "At (0, 0), H has eigenvalues 0 and 0: the second-derivative test is silent (a degenerate point)."
        )


class TestHessianWordsMatchTheEigenvalues:
    """a x² + b xy + c y²: a minimum when 4ac > b² and a > 0, a maximum when 4ac > b² and a < 0,
    a saddle when 4ac < b² (closed form); the words and the printed eigenvalues agree."""

    @pytest.mark.parametrize("seed", range(12))
    def test_random_quadratics(self, seed):
        rng = np.random.default_rng(seed)
        a, b, c = (round(float(v), 2) for v in rng.uniform(-3, 3, 3))
        if abs(4 * a * c - b * b) < 0.5:
            b += 1.5
        r = analyse(f"{a}x^2 + {b}xy + {c}y^2", (-1.3, 1.1, -0.9, 1.2))
        (point,) = r.critical_points
        expected = (
            "a saddle" if 4 * a * c < b * b else "both positive: a minimum" if a > 0 else "both negative: a maximum"
        )
        text = words.hessian_test(point, r.box)
        assert text.endswith(expected + ".")
        lo, hi = re.search(r"eigenvalues (\S+) and (\S+)[,:]", text).groups()
        exact = np.linalg.eigvalsh(np.array([[2 * a, b], [b, 2 * c]]))
        assert float(lo.replace("−", "-")) == pytest.approx(exact[0], rel=1e-3)
        assert float(hi.replace("−", "-")) == pytest.approx(exact[1], rel=1e-3)
        assert (lo.startswith("−"), hi.startswith("−")) == tuple(bool(v < 0) for v in exact)


class TestConstraint:
    def test_larson(self):
        """Larson's published answer reads on the page: 16,718.51 at (250, 50), λ = 0.33437 (it
        read 16,718.5 and 0.3344); the green badge that certified f without the constraint is gone,
        and the caption says what is checked how."""
        f, box, goal, g, _ = sf.PRESETS["cobb_douglas"]
        r = analyse(f, box, goal, g, certificate=True)
        m = {label: (value, help) for label, value, help in words.metrics(r)}
        assert m["Global maximum"][0] == "16,718.51"
        assert m["Reached at"][0] == "(250, 50)"
        assert m["Lagrange multiplier"][0] == "0.33437"
        assert shown(m["Lagrange multiplier"][1]) == (
            "λ in ∇f = λ∇g: one more unit of the constraint's right-hand side (50000) raises the best value by "
            "about 0.33437."
        )
        text = shown(words.answer(r))
        assert text.startswith("**On the curve g(x, y) = 0, the maximum of f is 16,718.51, at (250, 50).**")
        assert "∇f = λ∇g with λ = 0.33437" in text
        assert "Without the constraint, the global maximum on the box is 35,565.59 at (400, 250) (a corner)." in text
        head, detail, ok = words.badge(r)
        assert (head, ok) == ("", False)
        c = r.constraint
        assert c.stationarity <= 1e-12
        assert c.feasibility <= 1e-12
        assert detail.startswith(
            "The best point on the curve is checked by its KKT residuals, not by interval arithmetic: "
            f"|∇f − λ∇g| = {words._residual(c.stationarity)} and |g| = {words._residual(c.feasibility)} there"
        )
        assert (
            "Interval arithmetic looked at f without the constraint only: nothing in the box is above 35,565.59 + "
            in detail
        )
        assert "Certified" not in head + detail

    @pytest.mark.parametrize(
        ("g", "plus_one"),
        [("150x + 250y = 50000", "150x + 250y = 50001"), ("50000 = 150x + 250y", "50000 = 150x + 250y + 1")],
    )
    def test_the_multiplier_sentence_is_true_both_ways_round(self, g, plus_one):
        """One more unit of the right-hand side, re-solved: the sentence's 'raises'/'lowers' and
        its number agree with the change (λ changes sign when the constraint is written the other
        way round, docs/pages/surface.md)."""
        f, box, goal, _, _ = sf.PRESETS["cobb_douglas"]
        r, again = analyse(f, box, goal, g), analyse(f, box, goal, plus_one)
        change = again.constraint.value - r.constraint.value
        sentence = shown({label: help for label, _, help in words.metrics(r)}["Lagrange multiplier"])
        verb, size = re.search(r"(raises|lowers) the best value by about (\S+)\.$", sentence).groups()
        assert verb == ("raises" if change > 0 else "lowers")
        assert float(size) == pytest.approx(abs(change), rel=1e-4)
        assert f"({g.split('=')[1].strip()})" in sentence

    def test_constraint_as_g(self):
        r = analyse("x + y", (0, 1, 0, 2), "max", "x^2 + y^2 - 1")
        lam = {label: help for label, _, help in words.metrics(r)}["Lagrange multiplier"]
        assert "if g(x, y) = 0 became g(x, y) = 1, the best value would rise by about 0.70711" in lam
        # x² + y² = 2: the best of x + y is √2·√2 = 2, from √2 at x² + y² = 1 (rise ≈ λ = 1/√2)
        assert analyse("x + y", (0, 2, 0, 2), "max", "x^2 + y^2 - 2").constraint.value == pytest.approx(2, rel=1e-8)

    def test_endpoint(self):
        r = analyse("x + y", (0, 1, 0, 1), "max", "x - y")
        assert r.constraint.status is mv.ConstraintStatus.ENDPOINT
        assert words.metrics(r)[3] == (
            "Lagrange multiplier",
            "—",
            "None here: the best point on the curve is not a point of tangency.",
        )
        assert "where the curve meets the box's edge" in words.answer(r)

    def test_infeasible(self):
        r = analyse("x^2 + y^2", (-1, 1, -1, 1), "min", "x^2 + y^2 + 1")
        assert [v for _, v, _ in words.metrics(r)][:2] == ["—", "—"]
        assert "**The curve g(x, y) = 0 does not cross the box**" in words.answer(r)

    def test_the_visitors_text_is_escaped(self):
        r = analyse("x + y", (0, 1, 0, 2), "max", "x^2 + y^2 = 1 * (1)")
        lam = {label: help for label, _, help in words.metrics(r)}["Lagrange multiplier"]
        assert "(1 \\* \\(1\\))" in lam


class TestStatuses:
    def test_undefined_and_pole(self):
        assert words.undefined(analyse("log(x) + y", (-1, 1, -1, 1))).startswith(
            "f is not defined at (−1, −1) in this box"
        )
        assert words.undefined(analyse("1/(x - y - 0.013)", (-1, 1, -1, 1))).startswith("f has a pole in this box")
        assert words.undefined(analyse("x^2 + y^2")) is None

    def test_notes(self):
        assert words.notes(analyse("x^2 + y^2")) == []
        curve = analyse("x^2", (-1, 1, -1, 1))
        assert curve.search is mv.Search.CURVE
        assert words.notes(curve)[0][1].startswith("The critical points fill a curve")
        assert words.metrics(curve)[2][1] == "a curve"
        flat = analyse("0*x + 3", (-1, 1, -1, 1))
        assert words.notes(flat) == [("info", "f is constant on the box: every point is critical, and every point is optimal.")]  # fmt: skip
        assert words.metrics(flat)[2][1] == "every point"
        kinks = analyse("abs(x) + y^2", (-1, 1, -1, 1))
        kinds = [kind for kind, _ in words.notes(kinks)]
        assert kinds == ["warning", "info"]  # incomplete (the kink), and the kinks said
        assert words.metrics(kinks)[2][1].endswith("+")

    def test_bad_box_and_formula(self):
        assert words.bad_box(-1, 1, 2, 2) == "The box needs 'y from' < 'y to'; got y from 2 to 2."
        assert words.bad_box(-1, 1, 0, 1) is None
        error = "unknown name 'z': ![](//example.org/x)"
        message = words.cannot_use(error)
        assert "![" not in message
        assert message == f"Cannot use this formula: {plain(error, max_chars=None)}."


class TestCertificateWords:
    @pytest.mark.parametrize(
        ("status", "words_"),
        [
            (sf.CertificateStatus.UNBOUNDED, "unbounded in part of the box"),
            (sf.CertificateStatus.NOT_COVERED, "does not cover"),
            (sf.CertificateStatus.TOO_LONG, "too long for the certified search"),
            (sf.CertificateStatus.ROUNDING, "neighbouring floating-point numbers"),
        ],
    )
    def test_not_certified(self, stewart, status, words_):
        r = dataclasses.replace(stewart, certificate=dataclasses.replace(stewart.certificate, status=status))
        head, detail, ok = words.badge(r)
        assert (head, ok) == ("Not certified", False)
        assert words_ in detail

    def test_budget(self, stewart):
        cert = sf.certify(ex.prepare_xy(sf.DEFAULT_FORMULA), sf.DEFAULT_BOX, "min", 1.0, 1.0, -1.0, 49.0, max_cells=5)
        assert cert.status is sf.CertificateStatus.BUDGET
        head, detail, ok = words.badge(dataclasses.replace(stewart, certificate=cert))
        assert (head, ok) == ("Not certified: out of budget", False)
        assert "(5 cells)" in detail
        if math.isfinite(cert.tol):
            assert f"nothing is below {words.value(cert.value - cert.tol)}" in detail

    def test_skipped_says_why(self):
        r = analyse(sf.DEFAULT_FORMULA)
        assert r.certificate.status is sf.CertificateStatus.SKIPPED
        _head, detail, _ok = words.badge(r, words.skipped(2.3, 2.0))
        assert detail.startswith("Not certified: with it this update would need about 2.3 CPU-seconds")

    def test_improved(self):
        """A well narrower than a grid cell: the certified search finds it, the answer is its point."""
        r = sf.analyse("x^2 + y^2 - 3exp(-1e7((x - 0.3004)^2 + (y + 0.4007)^2))", -1, 1, -1, 1, "min")
        assert r.certificate.improved
        m = {label: value for label, value, _ in words.metrics(r)}
        assert m["Reached at"] == words.coordinates(r.certificate.x, r.certificate.y, r.box)
        assert "The grid scan missed it" in words.answer(r)


class TestPathWords:
    def path(self, key, method="gradient", start=None):
        f, box, goal, _, preset_start = sf.PRESETS[key]
        start = start or preset_start
        b = mv.Box(*box)
        p = sf.path(ex.prepare_xy(f), b, words.clamp(b, *start), goal, method)
        return p, words.path_text(p, b, start, goal, method)

    def test_statuses(self):
        p, text = self.path("saddle")
        assert p.status is mv.PathStatus.LEFT_BOX
        assert "**Gradient ascent** from (0.5, 0.1) reached the box's boundary at (1, 0)" in text
        p, text = self.path("rosenbrock")
        assert p.status is mv.PathStatus.MAX_STEPS
        assert "was still moving after 200 steps, the most it may take" in text
        p, text = self.path("cobb_douglas", "newton")
        assert p.status is mv.PathStatus.SINGULAR
        assert "the Hessian is singular there, so there is no Newton step" in text
        assert "heads for a critical point of any kind, saddles included, and not always the nearest one" in text
        p, text = self.path("cobb_douglas", start=(0.0, 0.0))
        assert p.status is mv.PathStatus.NOT_FINITE
        assert text.endswith("f or its gradient is not defined there.")
        p, text = self.path("stewart", start=(0.0, 0.0))
        assert p.steps == 0
        assert "starts where ∇f = 0: it does not move" in text

    def test_start_outside_the_box(self):
        p, text = self.path("stewart", start=(5.0, -7.0))
        assert text.startswith(
            "Your start point (5, −7) is outside the box: the path starts at the nearest point of the box, (2, −2)."
        )
        assert (p.points.x.iloc[0], p.points.y.iloc[0]) == (2.0, -2.0)

    def test_not_drawn(self):
        box = mv.Box(*sf.DEFAULT_BOX)
        text = words.path_text(None, box, (0.5, 0.5), "min", "gradient", why=words.BUSY)
        assert text == f"**Gradient descent** from (0.5, 0.5) was not drawn: {words.BUSY}."


class TestNumbers:
    def test_value(self):
        assert words.value(35565.58820077845) == "35,565.6"
        assert words.value(35565.58820077845, digits=7) == "35,565.59"
        assert words.value(-0.0) == "0"
        assert words.value(1e-13, 49.0) == "0"
        assert words.value(float("inf")) == "—"

    def test_coordinates(self):
        box = mv.Box(0, 400, 0, 250)
        assert words.coordinates(250.0, 50.00000000000001, box) == "(250, 50)"
        assert words.coordinates(1e-14, -3e-15, box) == "(0, 0)"
        assert words.coordinates(-2.805118, 3.131312) == "(−2.805, 3.131)"


def test_an_exact_certificate_says_no_margin():
    """A certificate with no gap (f = x², one cell) states the bound itself, never "− 0.0e+00"."""
    r = sf.analyse("x^2", -1, 1, -1, 1, "min", None)
    assert r.certificate.tol == 0
    head, detail, ok = words.badge(r)
    assert ok
    assert head == "Certified: nothing in the box is below 0"
    assert "e+00" not in detail
    assert "e−00" not in detail
    assert detail.endswith("beats the box's minimum at all.")
