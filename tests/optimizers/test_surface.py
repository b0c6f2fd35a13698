"""A typed surface f(x, y): the two-variable parser, the analysis end to end (critical points,
ties, a constraint typed as an equation, undefined boxes, poles), and the certified interval
search (enclosures that hold, certificates within budget, the statuses when it cannot)."""

import math

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optimizers import expression as ex
from optimizers import multivariate as mv
from optimizers import surface as sf
from optimizers._testproblems2d import PROBLEMS, by_name

x, y = ex.X, ex.Y


class TestParseXY:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("x^4 + y^4 - 4xy + 1", x**4 + y**4 - 4 * x * y + 1),
            ("xy^2", x * y**2),
            ("2yx", 2 * y * x),
            ("(x + y)(x - y)", (x + y) * (x - y)),
            ("exp(-x^2 - y^2)", sp.exp(-(x**2) - y**2)),
            ("100 x^0.75 y^0.25", 100 * x ** sp.Float("0.75") * y ** sp.Float("0.25")),
            ("sin(x)cos(y)", sp.sin(x) * sp.cos(y)),
            ("x", x),
        ],
    )
    def test_basic(self, text, expected):
        assert ex.parse_xy(text) == expected

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("", "type a formula in x and y"),
            ("x + z", "unknown name 'z': use x, y, pi, e"),
            ("x + a", "unknown name 'a'"),
            ("xyz", "unknown name 'xyz'"),
            ("__import__('os').system('ls')", "only calls like sin"),
            ("x" + " + y" * 60, "characters long; at most 200"),
            ("y**1000", "exponent too large"),
            ("'y'", "only numbers, x and y are allowed"),
            ("x²", "plain characters: digits, x, y"),
        ],
    )
    def test_input_validation(self, text, message):
        with pytest.raises(ex.ExpressionError, match=message):
            ex.parse_xy(text)

    def test_one_variable_parser_unchanged(self):
        """parse() still refuses y, with its old message, and still reads x alone."""
        with pytest.raises(ex.ExpressionError, match=r"unknown name 'y': use x, pi, e and"):
            ex.parse("x + y")
        with pytest.raises(ex.ExpressionError, match="only numbers and x are allowed"):
            ex.parse("'y'")
        assert ex.parse("2x") == 2 * x

    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        st.lists(st.sampled_from([*"xy0123456789+-*/^(). ", "sin", "exp", "log", "pi", "**", "_"]), max_size=40).map(
            "".join
        )
    )
    def test_formula_like_text_is_a_formula_or_a_message(self, text):
        assert_formula_or_message(text)


def assert_formula_or_message(text: str) -> None:
    """parse_xy() either gives an expression in x and y or raises ExpressionError saying why."""
    try:
        expr, message = ex.parse_xy(text), ""
    except ex.ExpressionError as exc:
        expr, message = None, str(exc)
    if expr is None:
        assert len(message) > 5
    else:
        assert expr.free_symbols <= {x, y}


class TestPrepareXY:
    def test_basic(self):
        parsed = ex.prepare_xy("(x^2 + y - 11)^2 + (x + y^2 - 7)^2")
        s = parsed.symbolic
        f = (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2
        for got, want in (
            (s.fx, sp.diff(f, x)),
            (s.fy, sp.diff(f, y)),
            (s.fxy, sp.diff(f, x, y)),
            (s.fyy, sp.diff(f, y, 2)),
        ):
            assert sp.expand(got - want) == 0
        fn, grad, hess = parsed.callables()
        X, Y = np.meshgrid(np.linspace(-5, 5, 7), np.linspace(-5, 5, 5))
        assert fn(X, Y).shape == X.shape
        assert [g.shape for g in grad(X, Y)] == [X.shape, X.shape]
        assert [float(v) for v in hess(0.0, 0.0)] == [-42.0, 0.0, -26.0]

    def test_constants_keep_the_grid_shape(self):
        fn, grad, hess = ex.prepare_xy("x + 2").callables()
        X = np.zeros((3, 4))
        assert fn(X, X).shape == (3, 4)
        assert grad(X, X)[1].shape == (3, 4)
        assert np.all(hess(X, X)[0] == 0)

    def test_kinks(self):
        assert ex.prepare_xy("abs(x) + y^2").symbolic.has_kinks
        assert not ex.prepare_xy("x^2 + y^2").symbolic.has_kinks


class TestAnalyse:
    def test_basic(self):
        """The default: Stewart's x⁴ + y⁴ − 4xy + 1 on [−2, 2]²: a saddle and two minima of −1."""
        r = sf.analyse()
        assert (r.text, r.goal, (r.box.x_lo, r.box.x_hi, r.box.y_lo, r.box.y_hi)) == (
            sf.DEFAULT_FORMULA,
            sf.DEFAULT_GOAL,
            sf.DEFAULT_BOX,
        )
        table = r.table()
        assert list(table.columns) == ["x", "y", "value", "kind"]
        assert table.values.tolist() == [
            [-1.0, -1.0, -1.0, "minimum"],
            [0.0, 0.0, 1.0, "saddle"],
            [1.0, 1.0, -1.0, "minimum"],
        ]
        assert r.status is sf.SurfaceStatus.OK
        assert r.search is mv.Search.COMPLETE
        assert r.optimum is r.minimum
        assert [(p.x, p.y) for p in r.minimum.places] == [(-1.0, -1.0), (1.0, 1.0)]
        assert r.maximum.value == 49.0
        assert len(r.maximum.places) == 2
        assert r.certificate.certified
        assert r.certificate.tol <= r.certificate.target
        assert list(r.grid.columns) == ["x", "y", "value"]
        assert len(r.grid) == sf.GRID_SIDE**2
        assert len(r.field) == sf.FIELD_POINTS**2
        assert r.latex[1] == "4 x^{3} - 4 y"

    def test_himmelblau(self):
        r = sf.analyse("(x^2 + y - 11)^2 + (x + y^2 - 7)^2", -5, 5, -5, 5, "max")
        kinds = r.table().kind.tolist()
        assert (kinds.count("minimum"), kinds.count("saddle"), kinds.count("maximum")) == (4, 4, 1)
        top = r.table()[r.table().kind == "maximum"].iloc[0]
        assert top.value == pytest.approx(181.61652152258270404, rel=1e-13)
        assert (top.x, top.y) == pytest.approx((-0.27084459066734761304, -0.92303855647998146313), rel=1e-13)
        assert (r.maximum.value, r.maximum.x, r.maximum.y) == (890.0, 5.0, 5.0)
        assert r.certificate.certified

    @pytest.mark.parametrize("name", ["Six-hump camel", "Branin", "McCormick", "Styblinski-Tang", "Bird"])
    def test_published_minima_typed(self, name):
        p = by_name(name)
        r = sf.analyse(p.text, *p.box, "min")
        assert r.minimum.value == pytest.approx(p.fun, rel=1e-12)
        for mx, my in p.minimizers:
            assert any(abs(q.x - mx) <= 1e-9 and abs(q.y - my) <= 1e-9 for q in r.minimum.places)
        assert r.certificate.certified
        assert r.certificate.value == r.minimum.value

    def test_constraint_typed_as_an_equation(self):
        """Larson: maximise 100x^0.75 y^0.25 on 150x + 250y = 50,000: x = 250, y = 50, λ = 0.33437
        (one more dollar of budget is worth 0.334 units of output)."""
        r = sf.analyse("100 x^0.75 y^0.25", 0, 400, 0, 250, "max", "150x + 250y = 50000")
        c = r.constraint
        assert c.status is mv.ConstraintStatus.TANGENCY
        assert (c.x, c.y) == pytest.approx((250.0, 50.0), rel=1e-12)
        assert c.value == pytest.approx(16718.5076244105506, rel=1e-12)
        assert c.multiplier == pytest.approx(0.334370152488211012, rel=1e-12)
        same = sf.analyse("100 x^0.75 y^0.25", 0, 400, 0, 250, "max", "150x + 250y - 50000")
        assert same.constraint.multiplier == c.multiplier
        # the unconstrained maximum is the far corner; the minimum 0 fills the edges x = 0 and y = 0
        assert (r.maximum.x, r.maximum.y) == (400.0, 250.0)
        assert set(r.minimum.flat_edges) == {mv.Edge.LEFT, mv.Edge.BOTTOM}

    def test_degenerate_is_said(self):
        r = sf.analyse("x^3 - 3xy^2", -1, 1, -1, 1, "max")
        assert r.table().kind.tolist() == ["degenerate"]
        assert r.critical_points[0].kind is mv.Kind.DEGENERATE

    def test_special_cases(self):
        undefined = sf.analyse("log(x) + y", -1, 1, 0, 1)
        assert undefined.status is sf.SurfaceStatus.UNDEFINED
        assert undefined.undefined_at[0] <= 0
        assert undefined.minimum is None
        assert undefined.certificate.status is sf.CertificateStatus.SKIPPED
        assert undefined.table().empty
        assert undefined.grid.value.isna().any()
        pole = sf.analyse("1/(x^2 + y^2 - 0.49)", -1, 1, -1, 1)
        assert pole.status is sf.SurfaceStatus.POLE
        assert math.hypot(*pole.undefined_at) == pytest.approx(0.7, abs=0.05)
        kinked = sf.analyse("abs(x) + abs(y) + 0.1x", -1, 1, -1, 1)
        assert kinked.has_kinks
        assert kinked.minimum.value == 0.0
        assert kinked.minimum.found_by is mv.FoundBy.SAMPLING
        assert kinked.minimum.status is mv.Search.INCOMPLETE
        uncertified = sf.analyse(certificate=False)
        assert uncertified.certificate.status is sf.CertificateStatus.SKIPPED
        bad_g = sf.analyse("x + y", -1, 1, -1, 1, "max", "log(x) - y")
        assert bad_g.constraint is None
        assert bad_g.constraint_undefined_at[0] <= 0
        assert bad_g.maximum.value == 2.0

    def test_input_validation(self):
        with pytest.raises(ValueError, match=r"x_hi must be greater than x_lo, got x_lo=2\.0, x_hi=-2\.0"):
            sf.analyse("x^2 + y^2", 2, -2, -1, 1)
        with pytest.raises(ValueError, match="goal must be 'max' or 'min'"):
            sf.analyse("x^2 + y^2", goal="lowest")
        with pytest.raises(ex.ExpressionError, match="unknown name 'z'"):
            sf.analyse("x + z")
        with pytest.raises(ex.ExpressionError, match="one '=' at most"):
            sf.analyse("x + y", text_g="x = y = 1")
        with pytest.raises(ex.ExpressionError, match="both sides"):
            sf.analyse("x + y", text_g="x + y =")


class TestCertify:
    @pytest.mark.parametrize(
        ("text", "exact"),
        [
            ("x^4 + y^4 - 4xy + 1", lambda a, b: a**4 + b**4 - 4 * a * b + 1),
            ("sin(3x)cos(2y) + exp(-x^2 - y^2)", lambda a, b: mpmath.sin(3 * a) * mpmath.cos(2 * b) + mpmath.exp(-(a**2) - b**2)),
            ("sqrt(1 + x^2 + y^4) * erf(x - y) + tanh(xy)", lambda a, b: mpmath.sqrt(1 + a**2 + b**4) * mpmath.erf(a - b) + mpmath.tanh(a * b)),
            ("log(2 + sin(xy)) + abs(x - y) + max(x, y)", lambda a, b: mpmath.log(2 + mpmath.sin(a * b)) + abs(a - b) + max(a, b)),
        ],
    )  # fmt: skip
    def test_enclosures_hold(self, text, exact):
        """Every value of f on a random cell, computed with 50 digits, lies inside F(cell)."""
        program = sf._Program2([ex.parse_xy(text)])
        rng = np.random.default_rng(0)
        for a, c in rng.uniform(-2, 2, size=(20, 2)):
            b, d = a + rng.uniform(0, 0.5), c + rng.uniform(0, 0.5)
            (box,) = program(mpmath.iv.mpf([a, b]), mpmath.iv.mpf([c, d]))
            with mpmath.workdps(50):
                for s in np.linspace(a, b, 4):
                    for t in np.linspace(c, d, 4):
                        assert box.a <= exact(mpmath.mpf(float(s)), mpmath.mpf(float(t))) <= box.b

    def test_basic(self):
        parsed = ex.prepare_xy(sf.DEFAULT_FORMULA)
        c = sf.certify(parsed, sf.DEFAULT_BOX, "min", 1.0, 1.0, -1.0, 49.0)
        assert c.status is sf.CertificateStatus.CERTIFIED
        assert c.value == -1.0
        assert c.tol <= c.target == pytest.approx(49e-9, rel=1e-12)
        top = sf.certify(parsed, sf.DEFAULT_BOX, "max", 2.0, -2.0, 49.0, 49.0)
        assert top.certified

    @pytest.mark.parametrize(
        "problem", [p for p in PROBLEMS if p.name not in ("Easom", "Goldstein-Price", "Hosaki")], ids=lambda p: p.name
    )
    def test_published_set_within_budget(self, problem):
        """The published minima are certified within the page's budget (cells from certify_cost).
        Goldstein–Price and Hosaki need about 8,500 and 17,500 cells (test_more_cells)."""
        parsed = ex.prepare_xy(problem.text)
        _, cells = sf.certify_cost(parsed)
        mx, my = problem.minimizers[0]
        c = sf.certify(parsed, problem.box, "min", mx, my, float(problem.f(mx, my)), _scale(problem), max_cells=cells)
        assert c.status is sf.CertificateStatus.CERTIFIED, (problem.name, c)
        assert not c.improved
        assert c.value - c.tol <= problem.fun + 1e-12 * max(1, abs(problem.fun))

    def test_more_cells(self):
        """The cell cap decides: 100 cells do not settle Stewart's minimum, the budget's do.
        (Goldstein–Price needs about 8,500 cells and Hosaki 17,500: BUDGET at the page's cap,
        measured in docs/engine-2d.md.)"""
        parsed = ex.prepare_xy(sf.DEFAULT_FORMULA)
        small = sf.certify(parsed, sf.DEFAULT_BOX, "min", 1.0, 1.0, -1.0, 49.0, max_cells=100)
        assert small.status is sf.CertificateStatus.BUDGET
        assert small.tol > small.target
        _, cells = sf.certify_cost(parsed)
        assert sf.certify(parsed, sf.DEFAULT_BOX, "min", 1.0, 1.0, -1.0, 49.0, max_cells=cells).certified
        p = by_name("Goldstein-Price")
        at_cap = sf.certify(ex.prepare_xy(p.text), p.box, "min", 0.0, -1.0, 3.0, _scale(p), max_cells=500)
        assert at_cap.status is sf.CertificateStatus.BUDGET
        assert at_cap.value - at_cap.tol <= 3.0  # what it did prove is still true

    def test_improves_a_wrong_answer(self):
        """Handed the wrong optimum (the saddle), the search finds and polishes the true minimum."""
        parsed = ex.prepare_xy(sf.DEFAULT_FORMULA)
        c = sf.certify(parsed, sf.DEFAULT_BOX, "min", 0.0, 0.0, 1.0, 49.0)
        assert c.improved
        assert c.value == pytest.approx(-1.0, rel=1e-12)
        assert abs(abs(c.x) - 1) <= 1e-6
        assert c.certified

    def test_easom_needle(self):
        """Easom's needle covers 1% of the box: the engine says its search is incomplete, and the
        optimum it reports or the certificate's (which searched every cell) is the needle."""
        p = by_name("Easom")
        r = sf.analyse(p.text, *p.box, "min")
        assert r.minimum.status is mv.Search.INCOMPLETE
        assert r.certificate.certified
        assert r.certificate.value == pytest.approx(-1.0, rel=1e-12)
        assert (r.certificate.x, r.certificate.y) == pytest.approx((math.pi, math.pi), rel=1e-7)
        assert r.certificate.improved == (r.minimum.value > -0.5)

    def test_special_cases(self):
        pole = ex.prepare_xy("1/(x^2 + y^2 - 0.49)")
        c = sf.certify(pole, (-1, 1, -1, 1), "min", 0.0, 0.0, -1 / 0.49, 1.0, max_cells=2000)
        assert c.status is sf.CertificateStatus.UNBOUNDED
        assert math.isinf(c.tol)
        budget = sf.certify(ex.prepare_xy(sf.DEFAULT_FORMULA), sf.DEFAULT_BOX, "min", 1.0, 1.0, -1.0, 49.0, max_cells=3)
        assert budget.status is sf.CertificateStatus.BUDGET
        assert budget.cells == 3

    def test_input_validation(self):
        with pytest.raises(ValueError, match="goal must be 'max' or 'min'"):
            sf.certify(ex.prepare_xy("x + y"), (0, 1, 0, 1), "best", 0, 0, 0, 1)

    def test_stops_when_asked(self):
        from optimizers import progress

        def stop(_):
            raise progress.Stopped

        previous = progress.install(stop)
        try:
            with pytest.raises(progress.Stopped):
                sf.certify(ex.prepare_xy(sf.DEFAULT_FORMULA), sf.DEFAULT_BOX, "min", 1.0, 1.0, -1.0, 49.0)
        finally:
            progress.install(previous)


def _scale(problem) -> float:
    g = mv.grid(problem.f, problem.box, 41)
    return max(float(g.value.abs().max()), float(g.value.max() - g.value.min()))


class TestCost:
    def test_basic(self):
        parsed = ex.prepare_xy(sf.DEFAULT_FORMULA)
        cost = sf.cost(parsed)
        assert cost.tasks == ("surface_2d", "certify_2d")
        assert set(sf.KNOBS) <= set(cost.knobs)
        _, cells = sf.certify_cost(parsed)
        assert cells == sf.MAX_CELLS or cells * sf._cell_microseconds(parsed.symbolic) * 1e-6 <= sf.CERT_SECONDS
        assert sf.cost(parsed, certificate=False).tasks == ("surface_2d",)

    def test_longer_formulas_cost_more(self):
        short = sf.cost(ex.prepare_xy("x^2 + y^2"), certificate=False).seconds
        long = sf.cost(
            ex.prepare_xy("sin(xy)cos(x^2 - y)exp(sin(x + y))log(2 + cos(3xy))tanh(x - y^2)"), certificate=False
        ).seconds
        assert long > 2 * short
        with_g = sf.cost(ex.prepare_xy("x^2 + y^2"), ex.prepare_xy("x + y - 1"), certificate=False).seconds
        assert with_g > short

    def test_certification_stays_within_its_cell_cap(self):
        parsed = ex.prepare_xy("x*y/(x^2 + y^2 + 1e-9)")  # a ridge of near-optimal points: never certified
        _, cells = sf.certify_cost(parsed)
        r = sf.analyse(parsed.text, -1, 1, -1, 1, "min", parsed=parsed)
        assert r.certificate.status is sf.CertificateStatus.BUDGET
        assert r.certificate.cells <= cells


class TestPath:
    def test_basic(self):
        parsed = ex.prepare_xy(sf.DEFAULT_FORMULA)
        p = sf.path(parsed, sf.DEFAULT_BOX, sf.DEFAULT_START)
        assert p.method is mv.PathMethod.DESCENT
        assert p.status is mv.PathStatus.CONVERGED
        assert (p.x, p.y) == pytest.approx((-1.0, -1.0), abs=1e-6)
        up = sf.path(parsed, sf.DEFAULT_BOX, (0.5, 0.3), "max")
        assert up.method is mv.PathMethod.ASCENT
        assert up.value > float(parsed.callables()[0](0.5, 0.3))

    def test_newton_reaches_the_rosenbrock_minimum(self):
        """Newton from the origin: (1, 1) in a few steps, where gradient descent is still crawling
        along the valley after 200 (the page's lesson)."""
        f, box, goal, _, start = sf.PRESETS["rosenbrock"]
        parsed = ex.prepare_xy(f)
        newton = sf.path(parsed, box, start, goal, "newton")
        assert newton.status is mv.PathStatus.CONVERGED
        assert (newton.x, newton.y) == pytest.approx((1.0, 1.0), rel=1e-12)
        assert newton.steps <= 6
        descent = sf.path(parsed, box, start, goal)
        assert descent.status is mv.PathStatus.MAX_STEPS

    def test_input_validation(self):
        parsed = ex.prepare_xy(sf.DEFAULT_FORMULA)
        with pytest.raises(ValueError, match="method must be one of"):
            sf.path(parsed, sf.DEFAULT_BOX, (0, 0), method="bfgs")
        with pytest.raises(ValueError, match="goal must be 'max' or 'min'"):
            sf.path(parsed, sf.DEFAULT_BOX, (0, 0), goal="best")
        with pytest.raises(ValueError, match="start must be inside the box"):
            sf.path(parsed, sf.DEFAULT_BOX, (3, 0))

    def test_cost_bounds_the_work(self):
        """The estimate is above what a path takes, for the presets and for formulas with heavy
        derivatives (measured CPU time of the slowest of gradient and Newton paths)."""
        import time

        for text in (sf.DEFAULT_FORMULA, "100(y - x^2)^2 + (1 - x)^2", "sin(20x+sin(20y+sin(20x+sin(20y))))"):
            parsed = ex.prepare_xy(text)
            parsed.callables()  # compiled once per formula, before any path
            for method in sf.PATH_METHODS:
                t0 = time.process_time()
                sf.path(parsed, (-2, 2, -1, 3), (0.1, 0.2), "min", method)
                assert time.process_time() - t0 < sf.path_cost(parsed, method).seconds
        assert sf.path_cost(ex.prepare_xy("x^2"), "newton").seconds > sf.path_cost(ex.prepare_xy("x^2")).seconds


class TestConstraintCurve:
    def test_circle(self):
        """x² + y² = 1: every segment end is on the circle (to the grid's linear interpolation)
        and the segments go all the way round."""
        seg = sf.constraint_curve(sf.constraint_surface("x^2 + y^2 = 1"), (-2, 2, -2, 2))
        ends = np.concatenate([seg[["x", "y"]].to_numpy(), seg[["x2", "y2"]].to_numpy()])
        assert np.abs(np.hypot(ends[:, 0], ends[:, 1]) - 1).max() < 2e-3
        length = np.hypot(seg.x2 - seg.x, seg.y2 - seg.y).sum()
        assert length == pytest.approx(2 * math.pi, rel=1e-3)

    def test_saddle_cells(self):
        """xy = 0.01: the two branches stay apart in the cell around the origin, whose corners
        alternate in sign."""
        seg = sf.constraint_curve(sf.constraint_surface("x*y - 0.01"), (-1, 1, -1, 1), n=4)
        for row in seg.itertuples():
            assert row.x * row.y > 0  # every end on a branch (first or third quadrant)
            assert row.x2 * row.y2 > 0
            assert (row.x > 0) == (row.x2 > 0)  # no segment crosses between the branches

    def test_special_cases(self):
        assert sf.constraint_curve(sf.constraint_surface("x^2 + y^2 + 1"), (-1, 1, -1, 1)).empty
        undefined = sf.constraint_curve(sf.constraint_surface("log(x) = y"), (-1, 1, -1, 1))
        assert (undefined.x > 0).all()  # cells where g is undefined are left out
        assert len(undefined) > 0
