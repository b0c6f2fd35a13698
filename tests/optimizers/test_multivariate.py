"""The two-variable engine: published critical points and optima, degenerate points said to be
degenerate, edges and corners, ties, a constraint with its multiplier, paths and sensitivity.
Every iterative answer is cross-checked with scipy and verified with our own residuals."""

import math

import numpy as np
import pytest
from scipy.optimize import NonlinearConstraint, minimize, root

from optimizers import multivariate as mv
from optimizers import progress
from optimizers._testproblems2d import PROBLEMS, by_name
from optimizers.sensitivity import COLUMNS, Param


def himmelblau(x, y):
    return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2


def himmelblau_grad(x, y):
    a, b = x**2 + y - 11, x + y**2 - 7
    return 4 * x * a + 2 * b, 2 * a + 4 * y * b


def himmelblau_hess(x, y):
    return 12 * x**2 + 4 * y - 42, 4 * (x + y), 4 * x + 12 * y**2 - 26


def camel(x, y):
    return (4 - 2.1 * x**2 + x**4 / 3) * x**2 + x * y + (-4 + 4 * y**2) * y**2


def stewart(x, y):
    return x**4 + y**4 - 4 * x * y + 1


# Himmelblau's nine critical points, refined in 40-digit arithmetic (mpmath.findroot)
HIMMELBLAU_MINIMA = [
    (3.0, 2.0),
    (-2.8051180869527448531, 3.1313125182505729658),
    (-3.7793102533777468919, -3.2831859912861694123),
    (3.5844283403304917449, -1.8481265269644035535),
]
HIMMELBLAU_MAX = (-0.27084459066734761304, -0.92303855647998146313, 181.61652152258270404)


def scipy_roots_of_gradient(grad, box, starts):
    """Every distinct root of ∇f that scipy.optimize.root (hybr) reaches from ``starts`` inside the box."""
    found = []
    for s in starts:
        r = root(lambda v: np.array(grad(v[0], v[1]), dtype=float), s, method="hybr", tol=1e-14)
        x, y = r.x
        if not (r.success and box[0] <= x <= box[1] and box[2] <= y <= box[3]):
            continue
        if not any(abs(x - a) < 1e-7 and abs(y - b) < 1e-7 for a, b in found):
            found.append((float(x), float(y)))
    return found


class TestBox:
    def test_basic(self):
        b = mv.Box(-1, 2, 0, 5)
        assert b.widths == (3.0, 5.0)
        assert b.location(-1, 0) is mv.Location.CORNER
        assert b.location(0.5, 5) is mv.Location.EDGE
        assert b.edges_at(0.5, 5) == (mv.Edge.TOP,)
        assert b.location(0.5, 1) is mv.Location.INTERIOR

    @pytest.mark.parametrize(
        ("args", "match"),
        [
            ((5, 2, 0, 1), "x_hi must be greater than x_lo, got x_lo=5.0, x_hi=2.0"),
            ((0, 1, 3, 3), "y_hi must be greater than y_lo, got y_lo=3.0, y_hi=3.0"),
            ((0, math.inf, 0, 1), "x_hi must be finite"),
            ((0, 1, "a", 1), "y_lo must be a number"),
        ],
    )
    def test_input_validation(self, args, match):
        with pytest.raises(ValueError, match=match):
            mv.Box(*args)


class TestDerivatives:
    def test_basic(self):
        """Complex step, central differences and the analytic gradient agree."""
        point = (1.3, -0.7)
        exact = himmelblau_grad(*point)
        assert mv.gradient(himmelblau, *point) == pytest.approx(exact, rel=1e-13)
        assert mv.gradient(himmelblau, *point, grad=himmelblau_grad) == pytest.approx(exact, rel=1e-15)
        assert mv.hessian(himmelblau, *point) == pytest.approx(himmelblau_hess(*point), rel=1e-8)

    def test_scalar_only_function_uses_central_differences(self):
        def f(x, y):  # float() refuses complex input: no complex step
            return math.exp(float(x)) * math.sin(float(y))

        assert mv.gradient(f, 0.5, 1.0) == pytest.approx(
            (math.exp(0.5) * math.sin(1), math.exp(0.5) * math.cos(1)), rel=1e-9
        )
        h = mv.hessian(f, 0.5, 1.0)
        e = math.exp(0.5)
        assert h == pytest.approx((e * math.sin(1), e * math.cos(1), -e * math.sin(1)), rel=1e-6)

    def test_input_validation(self):
        with pytest.raises(ValueError, match="x and y must be finite"):
            mv.gradient(himmelblau, math.nan, 0.0)
        with pytest.raises(ValueError, match="gradient is not finite"):
            mv.gradient(lambda x, y: np.sqrt(x) + y, 0.0, 0.0)


class TestClassify:
    @pytest.mark.parametrize(
        ("hess", "kind"),
        [
            ((2.0, 0.0, 3.0), mv.Kind.MINIMUM),
            ((-2.0, 1.0, -3.0), mv.Kind.MAXIMUM),
            ((2.0, 0.0, -3.0), mv.Kind.SADDLE),
            ((1.0, 2.0, 1.0), mv.Kind.SADDLE),  # eigenvalues −1 and 3
            ((1.0, 1.0, 1.0), mv.Kind.DEGENERATE),  # eigenvalues 0 and 2
            ((0.0, 0.0, 0.0), mv.Kind.DEGENERATE),
        ],
    )
    def test_basic(self, hess, kind):
        assert mv.classify(hess) is kind

    def test_scale(self):
        assert mv.classify((1e-9, 0.0, 1.0)) is mv.Kind.DEGENERATE  # 1e-9 of the largest eigenvalue
        assert mv.classify((1e-9, 0.0, 1.0), scale=1e-6) is mv.Kind.MINIMUM


class TestCriticalPoints:
    def test_basic(self):
        """Himmelblau on [−5, 5]²: four minima at value 0, four saddles, one maximum 181.617 at
        (−0.270845, −0.923039), exactly as published (to the 40-digit reference)."""
        found = mv.critical_points(himmelblau, (-5, 5, -5, 5))
        assert found.status is mv.Search.COMPLETE
        assert found.method is mv.Method.COMPLEX_STEP
        kinds = [p.kind for p in found.points]
        assert (kinds.count(mv.Kind.MINIMUM), kinds.count(mv.Kind.SADDLE), kinds.count(mv.Kind.MAXIMUM)) == (4, 4, 1)
        minima = [p for p in found.points if p.kind is mv.Kind.MINIMUM]
        for p in minima:
            assert abs(p.value) <= 1e-25
            assert min(math.hypot(p.x - a, p.y - b) for a, b in HIMMELBLAU_MINIMA) <= 1e-13
        (top,) = [p for p in found.points if p.kind is mv.Kind.MAXIMUM]
        assert top.x == pytest.approx(HIMMELBLAU_MAX[0], rel=1e-13)
        assert top.y == pytest.approx(HIMMELBLAU_MAX[1], rel=1e-13)
        assert top.value == pytest.approx(HIMMELBLAU_MAX[2], rel=1e-13)
        assert round(top.value, 3) == 181.617
        for p in found.points:
            assert p.residual <= mv.GRAD_RTOL
            g = himmelblau_grad(p.x, p.y)
            assert math.hypot(*g) <= 1e-10  # our own residual, from the analytic gradient

    def test_agrees_with_scipy_root(self):
        """Every root scipy's hybr reaches from 400 random starts is in our list, and ours are
        roots by scipy's solver too (never one solver alone)."""
        ours = mv.critical_points(himmelblau, (-5, 5, -5, 5)).points
        starts = np.random.default_rng(0).uniform(-5, 5, size=(400, 2))
        theirs = scipy_roots_of_gradient(himmelblau_grad, (-5, 5, -5, 5), starts)
        assert len(theirs) == len(ours) == 9
        for x, y in theirs:
            assert min(math.hypot(x - p.x, y - p.y) for p in ours) <= 1e-9
        polished = scipy_roots_of_gradient(himmelblau_grad, (-5, 5, -5, 5), [(p.x, p.y) for p in ours])
        flat = [v for point in sorted(polished) for v in point]
        assert flat == pytest.approx([v for p in sorted(ours, key=lambda p: (p.x, p.y)) for v in (p.x, p.y)], abs=1e-12)

    def test_indices_add_up_to_the_boundary_winding(self):
        """Poincaré–Hopf: the indices (+1 extremum, −1 saddle) of the points inside add up to the
        number of turns ∇f makes around the box's boundary (computed independently, finely)."""
        for f, box in [(himmelblau, (-5, 5, -5, 5)), (camel, (-3, 3, -2, 2)), (stewart, (-2, 2, -2, 2))]:
            found = mv.critical_points(f, box)
            s = mv._Surface(f, None, None, mv.Box(*box))
            assert sum(p.index for p in found.points) == mv._winding_fine(s, *box)

    def test_six_hump_camel(self):
        """Six local minima (two global, −1.0316284535 at ±(0.0898420, −0.7126564)), two maxima,
        seven saddles on [−3, 3] × [−2, 2]."""
        found = mv.critical_points(camel, (-3, 3, -2, 2))
        kinds = [p.kind for p in found.points]
        assert (kinds.count(mv.Kind.MINIMUM), kinds.count(mv.Kind.MAXIMUM), kinds.count(mv.Kind.SADDLE)) == (6, 2, 7)
        best = sorted((p for p in found.points if p.kind is mv.Kind.MINIMUM), key=lambda p: p.value)[:2]
        ref = by_name("Six-hump camel")
        for p in best:
            assert p.value == pytest.approx(ref.fun, rel=1e-14)
            assert min(abs(p.x - a) + abs(p.y - b) for a, b in ref.minimizers) <= 1e-14
        assert round(best[0].value, 10) == -1.0316284535

    def test_branin(self):
        ref = by_name("Branin")
        found = mv.critical_points(ref.f, ref.box)
        minima = [p for p in found.points if p.kind is mv.Kind.MINIMUM]
        assert len(minima) == 3
        for p in minima:
            assert p.value == pytest.approx(5 / (4 * math.pi), rel=1e-14)
            assert min(abs(p.x - a) + abs(p.y - b) for a, b in ref.minimizers) <= 1e-12

    def test_rosenbrock(self):
        found = mv.critical_points(lambda x, y: 100 * (y - x**2) ** 2 + (1 - x) ** 2, (-2, 2, -1, 3))
        assert found.status is mv.Search.COMPLETE
        assert [(p.x, p.y, p.kind) for p in found.points] == [(1.0, 1.0, mv.Kind.MINIMUM)]
        # eigenvalues of [[802, −400], [−400, 200]]: 501 ∓ √250601; the Hessian from differences of
        # the complex-step gradient is good to ~1e-10 of its largest entry
        exact = (501 - math.sqrt(250601), 501 + math.sqrt(250601))
        assert found.points[0].eigenvalues == pytest.approx(exact, abs=1e-6)
        analytic = mv.critical_points(
            lambda x, y: 100 * (y - x**2) ** 2 + (1 - x) ** 2, (-2, 2, -1, 3),
            grad=lambda x, y: (-400 * x * (y - x**2) - 2 * (1 - x), 200 * (y - x**2)),
            hess=lambda x, y: (1200 * x**2 - 400 * y + 2, -400 * x, 200 + 0 * x),
        )  # fmt: skip
        assert analytic.points[0].eigenvalues == pytest.approx(exact, rel=1e-13)

    def test_saddle(self):
        found = mv.critical_points(lambda x, y: x**2 - y**2, (-1, 1, -1, 1))
        assert [(p.x, p.y, p.value, p.kind) for p in found.points] == [(0.0, 0.0, 0.0, mv.Kind.SADDLE)]
        assert found.points[0].eigenvalues == pytest.approx((-2.0, 2.0), rel=1e-9)

    def test_special_cases(self):
        # x³ − 3xy² (a monkey saddle): the Hessian is zero at the origin, and the result says so
        monkey = mv.critical_points(lambda x, y: x**3 - 3 * x * y**2, (-1, 1, -1, 1))
        assert [p.kind for p in monkey.points] == [mv.Kind.DEGENERATE]
        assert abs(monkey.points[0].x) <= 1e-7
        assert abs(monkey.points[0].y) <= 1e-7
        assert monkey.points[0].index == 0
        # flat: every point is critical, none is listed
        flat = mv.critical_points(lambda x, y: 0 * x + 3.0, (-1, 1, -1, 1))
        assert flat.status is mv.Search.FLAT
        assert flat.points == ()
        # no critical point at all
        plane = mv.critical_points(lambda x, y: x + 2 * y, (-1, 1, -1, 1))
        assert plane.status is mv.Search.COMPLETE
        assert plane.points == ()
        # a line of critical points: sampled and said to be a curve
        valley = mv.critical_points(lambda x, y: x**2 + 0 * y, (-1, 1, -1, 1))
        assert valley.status is mv.Search.CURVE
        assert all(p.kind is mv.Kind.DEGENERATE and p.x == 0 for p in valley.points)

    def test_scalar_code_and_analytic_derivatives(self):
        """The same nine points from scalar-only code (central differences) and from analytic
        derivatives."""

        def scalar(x, y):
            x, y = float(x), float(y)
            return (x * x + y - 11) ** 2 + (x + y * y - 7) ** 2

        central = mv.critical_points(scalar, (-5, 5, -5, 5))
        analytic = mv.critical_points(himmelblau, (-5, 5, -5, 5), grad=himmelblau_grad, hess=himmelblau_hess)
        assert central.method is mv.Method.CENTRAL_DIFFERENCE
        assert analytic.method is mv.Method.ANALYTIC
        reference = mv.critical_points(himmelblau, (-5, 5, -5, 5)).points
        for found, tol in ((central, 1e-7), (analytic, 1e-13)):
            assert len(found.points) == 9
            for p, q in zip(found.points, reference, strict=True):
                assert (p.x, p.y) == pytest.approx((q.x, q.y), abs=tol)
                assert p.kind is q.kind

    def test_input_validation(self):
        with pytest.raises(ValueError, match="n must be at least 5, got 3"):
            mv.critical_points(himmelblau, (-5, 5, -5, 5), n=3)
        with pytest.raises(ValueError, match="box must be a Box"):
            mv.critical_points(himmelblau, (1, 2, 3))
        with pytest.raises(mv.NotFinite, match="f is not finite at x=0, y=") as info:
            mv.critical_points(lambda x, y: np.log(x) + y, (0, 1, 0, 1))
        assert info.value.x == 0.0

    def test_progress_and_stop(self):
        seen = []
        previous = progress.install(seen.append)
        try:
            mv.analyse_box(himmelblau, (-5, 5, -5, 5))
        finally:
            progress.install(previous)
        fractions = [v for v in seen if v is not None]
        assert fractions[0] == 0.0
        assert fractions[-1] == 1.0
        assert len(fractions) > 5
        assert fractions == sorted(fractions)

        def stop(_):
            raise progress.Stopped

        previous = progress.install(stop)
        try:
            with pytest.raises(progress.Stopped):
                mv.analyse_box(himmelblau, (-5, 5, -5, 5))
        finally:
            progress.install(previous)


class TestOptimize:
    def test_basic(self):
        """Himmelblau's box maximum is 890 at the corner (5, 5); its minimum 0 is reached at four places."""
        res = mv.analyse_box(himmelblau, (-5, 5, -5, 5))
        top = res.maximum
        assert (top.value, top.x, top.y) == (890.0, 5.0, 5.0)
        assert top.location is mv.Location.CORNER
        assert top.found_by is mv.FoundBy.CORNER
        assert top.places == (mv.Place(5.0, 5.0, mv.Location.CORNER, (mv.Edge.RIGHT, mv.Edge.TOP)),)
        low = res.minimum
        assert abs(low.value) <= 1e-25
        assert len(low.places) == 4
        assert low.kind is mv.Kind.MINIMUM
        assert low.found_by is mv.FoundBy.CRITICAL_POINT
        assert low.status is mv.Search.COMPLETE
        assert mv.optimize(himmelblau, (-5, 5, -5, 5), "max") == top

    def test_six_hump_camel(self):
        best = mv.optimize(camel, (-3, 3, -2, 2), "min")
        assert best.value == pytest.approx(-1.0316284534898774, rel=1e-14)
        assert [(round(p.x, 7), round(p.y, 7)) for p in best.places] == [(-0.089842, 0.7126564), (0.089842, -0.7126564)]

    def test_ties_at_corners(self):
        res = mv.analyse_box(stewart, (-2, 2, -2, 2))
        assert res.maximum.value == 49.0
        assert [(p.x, p.y) for p in res.maximum.places] == [(-2.0, 2.0), (2.0, -2.0)]
        assert [(p.x, p.y) for p in res.minimum.places] == [(-1.0, -1.0), (1.0, 1.0)]

    def test_edge_optimum(self):
        """Adjiman: the minimum −2.02181 is on the edge x = 2 (a one-variable problem there)."""
        ref = by_name("Adjiman")
        best = mv.optimize(ref.f, ref.box, "min")
        assert best.location is mv.Location.EDGE
        assert best.found_by is mv.FoundBy.EDGE
        assert best.places[0].edges == (mv.Edge.RIGHT,)
        assert best.value == pytest.approx(ref.fun, rel=1e-14)
        assert (best.x, best.y) == pytest.approx(ref.minimizers[0], rel=1e-12)
        assert round(best.value, 5) == ref.published
        assert best.gradient[0] < 0
        assert abs(best.gradient[1]) <= 1e-12

    def test_agrees_with_trust_constr(self):
        """No scipy trust-constr run from 8 starts in the box beats our minimum (and the best
        runs land on our two places)."""
        ours = mv.optimize(camel, (-3, 3, -2, 2), "min")

        def jac(v):
            x, y = v
            return np.array([8 * x - 8.4 * x**3 + 2 * x**5 + y, x - 8 * y + 16 * y**3])

        def hess(v):
            x, y = v
            return np.array([[8 - 25.2 * x**2 + 10 * x**4, 1.0], [1.0, -8 + 48 * y**2]])

        rng = np.random.default_rng(1)
        best = []
        for s in rng.uniform((-3, -2), (3, 2), size=(8, 2)):
            r = minimize(lambda v: camel(*v), s, method="trust-constr", jac=jac, hess=hess, bounds=[(-3, 3), (-2, 2)])
            assert r.fun >= ours.value - 1e-12
            if r.fun <= ours.value + 1e-9:
                best.append(r.x)
        assert best
        assert all(min(abs(x - p.x) + abs(y - p.y) for p in ours.places) <= 1e-5 for x, y in best)

    @pytest.mark.parametrize("problem", PROBLEMS, ids=lambda p: p.name)
    def test_published_set(self, problem):
        """The published global minimum of every problem the default grid resolves, to 1e-8;
        where the engine misses it (Easom's needle), it says its search is incomplete."""
        best = mv.optimize(problem.f, problem.box, "min")
        if abs(best.value - problem.fun) > 1e-8 * max(1.0, abs(problem.fun)):
            assert best.status is mv.Search.INCOMPLETE, problem.name
            assert problem.name == "Easom"
            return
        for mx, my in problem.minimizers:
            assert any(abs(p.x - mx) <= 1e-6 and abs(p.y - my) <= 1e-6 for p in best.places), (problem.name, mx, my)

    def test_special_cases(self):
        # flat edges: x² on [−1, 1]² is largest on the whole of the edges x = ±1
        res = mv.analyse_box(lambda x, y: x**2 + 0 * y, (-1, 1, -1, 1))
        assert set(res.maximum.flat_edges) == {mv.Edge.LEFT, mv.Edge.RIGHT}
        assert res.maximum.value == 1.0
        # a constant: flat everywhere
        flat = mv.optimize(lambda x, y: 0 * x + 2.0, (0, 1, 0, 1), "max")
        assert flat.found_by is mv.FoundBy.FLAT
        assert flat.status is mv.Search.FLAT
        assert len(flat.flat_edges) == 4
        # a narrow well between grid nodes is still found (from the grid's |∇f| minima or windings)
        well = lambda x, y: x**2 + y**2 - 5 * np.exp(-((x - 0.31) ** 2 + (y - 0.17) ** 2) / 0.0064)
        best = mv.optimize(well, (-5, 5, -5, 5), "min")
        polished = minimize(lambda v: well(*v), (0.31, 0.17), method="BFGS", options={"gtol": 1e-12})
        assert best.value == pytest.approx(polished.fun, rel=1e-10)

    def test_input_validation(self):
        with pytest.raises(ValueError, match="goal must be 'max' or 'min', got 'best'"):
            mv.optimize(himmelblau, (-5, 5, -5, 5), "best")


class TestConstrained:
    @staticmethod
    def cobb(x, y):
        return 100 * x**0.75 * y**0.25

    @staticmethod
    def budget(x, y):
        return 150 * x + 250 * y - 50_000

    def test_basic(self):
        """Larson's Cobb–Douglas example: x = 250, y = 50, output 16,718.51, λ = 0.33437."""
        best = mv.constrained(self.cobb, self.budget, (0, 400, 0, 250), "max")
        assert best.status is mv.ConstraintStatus.TANGENCY
        assert (best.x, best.y) == pytest.approx((250.0, 50.0), rel=1e-12)
        assert best.value == pytest.approx(16718.5076244105506, rel=1e-12)
        assert round(best.value, 2) == 16718.51
        assert best.multiplier == pytest.approx(0.334370152488211012, rel=1e-12)
        assert round(best.multiplier, 5) == 0.33437
        assert best.stationarity <= 1e-12
        assert best.feasibility <= 1e-12
        (point,) = best.points
        assert point.kind is mv.Kind.MAXIMUM
        assert point.curvature < 0
        assert [(e.x, e.y, e.value) for e in best.ends] == [
            (0.0, 200.0, 0.0),
            (pytest.approx(1000 / 3, rel=1e-14), 0.0, 0.0),
        ]

    def test_trust_constr_and_our_residuals(self):
        """scipy's trust-constr lands on the same point; our KKT residuals verify its answer."""

        def jac(v):
            x, y = v
            return -np.array([75 * x**-0.25 * y**0.25, 25 * x**0.75 * y**-0.75])

        def hess(v):
            x, y = v
            fxy = 18.75 * x**-0.25 * y**-0.75
            return -np.array([[-18.75 * x**-1.25 * y**0.25, fxy], [fxy, -18.75 * x**0.75 * y**-1.75]])

        budget = NonlinearConstraint(
            lambda v: self.budget(*v),
            0,
            0,
            jac=lambda v: np.array([[150.0, 250.0]]),
            hess=lambda v, w: np.zeros((2, 2)),
        )
        r = minimize(
            lambda v: -self.cobb(*v), (100.0, 100.0), method="trust-constr", jac=jac, hess=hess,
            constraints=[budget], bounds=[(1e-6, 400), (1e-6, 250)],
            options={"gtol": 1e-12, "xtol": 1e-14, "maxiter": 5000},
        )  # fmt: skip
        x, y = r.x
        gx, gy = mv.gradient(self.cobb, x, y)
        lam = (gx * 150 + gy * 250) / (150**2 + 250**2)
        assert math.hypot(gx - 150 * lam, gy - 250 * lam) <= 1e-6 * math.hypot(gx, gy)
        assert abs(self.budget(x, y)) <= 1e-6 * 50_000
        ours = mv.constrained(self.cobb, self.budget, (0, 400, 0, 250), "max")
        assert (x, y) == pytest.approx((ours.x, ours.y), rel=1e-6)
        assert lam == pytest.approx(ours.multiplier, rel=1e-6)
        assert abs(r.v[0][0]) == pytest.approx(ours.multiplier, rel=1e-5)

    def test_sign_convention(self):
        """λ = dV*/dc for g(x, y) = c: one more dollar of budget is worth λ units of output."""
        box = (0, 400, 0, 250)
        base = mv.constrained(self.cobb, self.budget, box, "max")
        up = mv.constrained(self.cobb, lambda x, y: self.budget(x, y) - 1.0, box, "max")
        down = mv.constrained(self.cobb, lambda x, y: self.budget(x, y) + 1.0, box, "max")
        assert (up.value - down.value) / 2 == pytest.approx(base.multiplier, rel=1e-8)
        flipped = mv.constrained(self.cobb, lambda x, y: -self.budget(x, y), box, "max")
        assert flipped.multiplier == pytest.approx(-base.multiplier, rel=1e-12)

    def test_circle(self):
        for goal, sign in (("max", 1), ("min", -1)):
            best = mv.constrained(lambda x, y: x + y, lambda x, y: x**2 + y**2 - 1, (-2, 2, -2, 2), goal)
            assert best.value == pytest.approx(sign * math.sqrt(2), rel=1e-14)
            assert best.multiplier == pytest.approx(sign / math.sqrt(2), rel=1e-12)
            assert len(best.points) == 2
            assert best.ends == ()

    def test_special_cases(self):
        # the tangency (0.5, 0.5) is outside the box: the optimum is the curve's end on x = 0.4
        end = mv.constrained(lambda x, y: x * y, lambda x, y: x + y - 1, (0, 0.4, 0, 1), "max")
        assert end.status is mv.ConstraintStatus.ENDPOINT
        assert (end.x, end.y) == pytest.approx((0.4, 0.6), rel=1e-14)
        assert math.isnan(end.multiplier)
        assert end.places[0].edges == (mv.Edge.RIGHT,)
        # no point of the curve in the box
        none = mv.constrained(lambda x, y: x * y, lambda x, y: x**2 + y**2 + 1, (0, 1, 0, 1))
        assert none.status is mv.ConstraintStatus.INFEASIBLE
        assert math.isnan(none.value)
        assert none.places == ()
        # two tangencies tie (xy on an ellipse): both reported
        tie = mv.constrained(lambda x, y: x * y, lambda x, y: x**2 / 4 + y**2 - 1, (-3, 3, -3, 3), "max")
        assert tie.value == pytest.approx(1.0, rel=1e-14)
        assert len(tie.places) == 2

    def test_input_validation(self):
        with pytest.raises(ValueError, match="goal must be 'max' or 'min'"):
            mv.constrained(self.cobb, self.budget, (0, 400, 0, 250), "most")
        with pytest.raises(mv.NotFinite, match="g is not finite"):
            mv.constrained(self.cobb, lambda x, y: np.log(x) + y, (0, 400, 0, 250))


class TestPath:
    def test_basic(self):
        p = mv.path(himmelblau, (0.5, 0.5), (-5, 5, -5, 5), "descent")
        assert p.status is mv.PathStatus.CONVERGED
        assert (p.x, p.y) == pytest.approx((3.0, 2.0), abs=1e-5)
        assert list(p.points.columns) == ["step", "x", "y", "value", "gradient_norm"]
        assert (p.points.x.iloc[0], p.points.y.iloc[0]) == (0.5, 0.5)
        assert (np.diff(p.points.value) <= 0).all()  # descent never climbs
        assert p.steps == len(p.points) - 1 <= mv.PATH_STEPS

    def test_newton(self):
        """Newton heads for the nearest critical point of any kind: here a saddle."""
        p = mv.path(lambda x, y: x**2 - y**2, (0.3, 0.2), (-1, 1, -1, 1), mv.PathMethod.NEWTON)
        assert p.status is mv.PathStatus.CONVERGED
        assert p.steps <= 2
        assert abs(p.x) <= 1e-12
        assert abs(p.y) <= 1e-12
        q = mv.path(himmelblau, (0.5, 0.5), (-5, 5, -5, 5), "newton")
        assert (q.x, q.y) == pytest.approx(HIMMELBLAU_MAX[:2], abs=1e-12)

    def test_log_coordinates(self):
        f = lambda x, y: np.log(x) + np.log(y) - x - 2 * y
        p = mv.path(f, (3.0, 0.1), (0.01, 10, 0.01, 10), "ascent", coordinates="log")
        assert p.status is mv.PathStatus.CONVERGED
        assert (p.x, p.y) == pytest.approx((1.0, 0.5), rel=1e-5)
        assert (p.points.x.iloc[0], p.points.y.iloc[0]) == (3.0, 0.1)

    def test_special_cases(self):
        box = (-1, 1, -1, 1)
        # a plane: the climb slides along the boundary to the corner, then wants out
        out = mv.path(lambda x, y: x + y, (0.3, 0.2), box, "ascent")
        assert out.status is mv.PathStatus.LEFT_BOX
        assert (out.x, out.y) == (1.0, 1.0)
        # the top of −(x − 2)² − y² is outside the box: the path ends on the edge x = 1 at y = 0
        edge = mv.path(lambda x, y: -((x - 2) ** 2) - y**2, (0.0, 0.5), box, "ascent")
        assert edge.status is mv.PathStatus.LEFT_BOX
        assert edge.x == 1.0
        assert abs(edge.y) <= 1e-6
        # Newton leaves the box on a cubic
        newton_out = mv.path(lambda x, y: x**3 + y**2, (0.5, 0.5), box, "newton")
        assert newton_out.status in (mv.PathStatus.CONVERGED, mv.PathStatus.LEFT_BOX)
        assert all(-1 <= v <= 1 for v in newton_out.points.x)
        # a singular Hessian stops Newton
        singular = mv.path(lambda x, y: x + y**2, (0.5, 0.5), box, "newton")
        assert singular.status is mv.PathStatus.SINGULAR
        assert singular.steps == 0
        # max steps
        short = mv.path(lambda x, y: 100 * (y - x**2) ** 2 + (1 - x) ** 2, (-1.2, 1.0), (-2, 2, -1, 3), max_steps=3)
        assert short.status is mv.PathStatus.MAX_STEPS
        assert short.steps == 3

    def test_input_validation(self):
        with pytest.raises(ValueError, match="start must be inside the box"):
            mv.path(himmelblau, (6.0, 0.0), (-5, 5, -5, 5))
        with pytest.raises(ValueError, match="method must be one of"):
            mv.path(himmelblau, (0.0, 0.0), (-5, 5, -5, 5), "sideways")
        with pytest.raises(ValueError, match="max_steps must be an integer from 1 to 10000, got 0"):
            mv.path(himmelblau, (0.0, 0.0), (-5, 5, -5, 5), max_steps=0)
        with pytest.raises(ValueError, match="coordinates='log' needs a box with x_lo > 0"):
            mv.path(himmelblau, (0.0, 0.0), (-5, 5, -5, 5), coordinates="log")


class TestGrids:
    def test_basic(self):
        g = mv.grid(himmelblau, (-5, 5, -5, 5), 11)
        assert list(g.columns) == ["x", "y", "value"]
        assert len(g) == 121
        assert g.loc[(g.x == 3) & (g.y == 2), "value"].item() == 0.0
        field = mv.gradient_field(himmelblau, (-5, 5, -5, 5), 11)
        assert list(field.columns) == ["x", "y", "dx", "dy", "norm"]
        row = field[(field.x == 1) & (field.y == -1)]
        assert (row.dx.item(), row.dy.item()) == pytest.approx(himmelblau_grad(1.0, -1.0), rel=1e-13)

    def test_special_cases(self):
        g = mv.grid(lambda x, y: np.log(x) + y, (-1, 1, 0, 1), 3)
        assert g.value.isna().sum() == 6  # x = −1 and x = 0 columns (log is nan and −inf there)

    def test_input_validation(self):
        with pytest.raises(ValueError, match="nx must be an integer of at least 2"):
            mv.grid(himmelblau, (-5, 5, -5, 5), 1)


def shifted(x, y, a, b):
    return -(x**2) - x * y - 2 * y**2 + a * x + b * np.exp(y / 3)


class TestSensitivity:
    def problem(self):
        params = (Param("a", 2.0, 0.0, 5.0), Param("b", 1.5, 0.0, 3.0))
        return mv.Problem(shifted, mv.Box(-5, 5, -5, 5), "max", params)

    def test_basic(self):
        """(x − a)² + (y − 2a)²: the minimum (a, 2a) moves 1 and 2 per unit of a; the value does not."""
        pr = mv.Problem(
            lambda x, y, a: (x - a) ** 2 + (y - 2 * a) ** 2, mv.Box(-5, 5, -5, 5), "min", (Param("a", 1.0, -2, 2),)
        )
        table = mv.sensitivity(pr).table()
        assert list(table.columns) == mv.SENSITIVITY_COLUMNS
        assert list(table.columns[:5]) == COLUMNS
        assert table.coordinate.tolist() == ["x", "y"]
        assert table.optimum_change_per_unit.tolist() == pytest.approx([1.0, 2.0], rel=1e-9)
        assert table.best_change_per_unit.tolist() == pytest.approx([0.0, 0.0], abs=1e-9)
        assert table.optimum_elasticity.tolist() == pytest.approx([1.0, 1.0], rel=1e-9)

    def test_against_re_solving(self):
        """Implicit function and envelope theorems agree with re-solving at θ ± δ."""
        pr = self.problem()
        report = mv.sensitivity(pr)
        for p in pr.params:
            h = 1e-4
            up, down = mv.solve(pr, **{p.name: p.value + h}), mv.solve(pr, **{p.name: p.value - h})
            rows = [r for r in report.rows if r.parameter == p.name]
            assert rows[0].optimum_change_per_unit == pytest.approx((up.x - down.x) / (2 * h), rel=1e-6)
            assert rows[1].optimum_change_per_unit == pytest.approx((up.y - down.y) / (2 * h), rel=1e-6)
            assert rows[0].best_change_per_unit == pytest.approx((up.value - down.value) / (2 * h), rel=1e-7)
            assert rows[0].best_change_per_unit == rows[1].best_change_per_unit

    def test_special_cases(self):
        # the optimum on the edge x = 1: x stays there (0), y follows its one-variable rule
        pr = mv.Problem(
            lambda x, y, a: -((x - 3) ** 2) - (y - a) ** 2, mv.Box(-1, 1, -5, 5), "max", (Param("a", 0.5, -2, 2),)
        )
        report = mv.sensitivity(pr)
        assert report.location is mv.Location.EDGE
        assert [r.optimum_change_per_unit for r in report.rows] == pytest.approx([0.0, 1.0], rel=1e-9)
        assert report.rows[0].optimum_elasticity == 0.0
