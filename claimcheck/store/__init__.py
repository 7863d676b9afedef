"""store: a persistent comparison that grows by `add` and answers `report` and `query`."""

from claimcheck.store.store import AddResult, Store, rebuild

__all__ = ["AddResult", "Store", "rebuild"]
