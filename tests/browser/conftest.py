import pytest
from axe_playwright_python.sync_playwright import Axe


@pytest.fixture(scope="module")
def axe() -> Axe:
    """One axe-core per module: it only holds the script it injects."""
    return Axe()
