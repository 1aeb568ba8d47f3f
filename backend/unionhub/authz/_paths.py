"""How two union paths relate, in memory. Private to authz: domains ask `scope` or `Principal`.

A path is the dotted chain of tree keys from the top of the tree down to a union ("1.7.42"), the
text form of its ltree column.
"""


def within(path: str, ancestor: str) -> bool:
    """`path` is `ancestor` itself or lies anywhere under it (ltree `path <@ ancestor`)."""
    return path == ancestor or path.startswith(ancestor + ".")


def lineage(path: str) -> list[str]:
    """The paths of the union at `path` and of every union above it, top first."""
    labels = path.split(".")
    return [".".join(labels[:depth]) for depth in range(1, len(labels) + 1)]
