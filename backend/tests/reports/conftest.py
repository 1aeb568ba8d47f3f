# The queue runner of the import tests: a report's file is built by the same worker machinery.
from tests.imports.conftest import runner

__all__ = ["runner"]
