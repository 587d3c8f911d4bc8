"""What each notebook section shows — view -> chart -> text — and the tables the sections share
(sections.data) plus the Section object a notebook opens.

May import: helpers.core, helpers.sources, helpers.model, helpers.claims, helpers.report."""


def import_all() -> None:
    """Import every section module (the notebook runner does this while the input check runs)."""
    import importlib
    import pkgutil

    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
