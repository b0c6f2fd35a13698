"""The one page registry: every page's file, URL path, title, icon, sidebar section and the
line Home shows for it. app.py builds the navigation from it, Home its cards (in the sidebar's
order), and the tests walk it, so adding a page is one entry here plus its file."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["HOME", "PAGES", "Page", "by_path", "sections"]


@dataclass(frozen=True)
class Page:
    """One page: ``app_pages/<file>`` served at ``/<path>`` under ``section`` in the sidebar."""

    path: str
    title: str
    icon: str
    section: str
    blurb: str = ""

    @property
    def file(self) -> str:
        """The page script. Files are named after their URL paths (lr-finder.py for /lr-finder):
        AppTest's switch_page finds a page by a hash Streamlit derives from the file name."""
        return f"app_pages/{self.path}.py"


HOME = Page("home", "Home", ":material/home:", "")

#: Every page but Home, in sidebar order (Home shows its cards in this order too).
PAGES: tuple[Page, ...] = (
    Page(
        "pricing",
        "Pricing",
        ":material/sell:",
        "Business",
        "What price maximises profit? The headphone shop: $75 for $30,250 a week. Fit your own price tests.",
    ),
    Page(
        "price-ads",
        "Price and advertising",
        ":material/campaign:",
        "Business",
        "Choose the price and the weekly ad budget together: $40 with $4,494 of ads makes $40,449 a week.",
    ),
    Page(
        "study",
        "Study hours",
        ":material/school:",
        "Life",
        "How long to study when returns fade and fatigue costs points: 9.03 hours for a score of 75.3.",
    ),
    Page(
        "fuel",
        "Fuel",
        ":material/local_gas_station:",
        "Life",
        "The speed with the best mileage (44.7 mph), the cheapest trip when your time has a price, "
        "and a fit to your car.",
    ),
    Page(
        "compounding",
        "Compounding",
        ":material/savings:",
        "Money",
        "How fast money grows right now (dV/dt = rV), when it doubles (13.86 years at 5%), and when to sell.",
    ),
    Page(
        "allocate",
        "Split a budget",
        ":material/pie_chart:",
        "Plans",
        "Split 12 study hours between three subjects, or an ad budget between channels: one more hour is "
        "worth 2.19 points.",
    ),
    Page(
        "lr-finder",
        "Learning-rate finder",
        ":material/model_training:",
        "Machine learning",
        "A numpy neural network, the learning-rate range test done right, and step size on x² − 10x + 100.",
    ),
    Page(
        "network",
        "Neural network",
        ":material/hub:",
        "Machine learning",
        "Train a small network, watch sigmoid gradients vanish layer by layer, and check backprop in "
        "float64 and float32.",
    ),
    Page(
        "custom",
        "Your own function",
        ":material/function:",
        "Tools",
        "Type any f(x): f′ and f″ symbolically, every critical point, the global optimum, the tutorial's exercises.",
    ),
    Page(
        "surface",
        "Your own surface",
        ":material/landscape:",
        "Tools",
        "Type any f(x, y): every critical point by kind, the global optimum on a box, a constraint and its "
        "multiplier, and a path downhill.",
    ),
    Page(
        "lab",
        "Derivative lab",
        ":material/science:",
        "Tools",
        "Why h = 1e-15 gives a wrong derivative and the complex step does not; sigmoid overflow; gradient check.",
    ),
)


def sections() -> dict[str, list[Page]]:
    """Pages by sidebar section, Home first (in its untitled section), in registry order.

    >>> list(sections())[:3]
    ['', 'Business', 'Life']
    """
    out: dict[str, list[Page]] = {"": [HOME]}
    for page in PAGES:
        out.setdefault(page.section, []).append(page)
    return out


def by_path(path: str) -> Page:
    """The page served at ``/<path>``.

    >>> by_path("lr-finder").file
    'app_pages/lr-finder.py'
    """
    for page in (HOME, *PAGES):
        if page.path == path:
            return page
    raise KeyError(path)
