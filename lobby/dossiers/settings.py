"""The centre's dossier settings, read from its config (``[dossiers]``, see ``lobby.config.dossiers``)."""
from __future__ import annotations

from lobby.config import CentreConfig
from lobby.config.dossiers import DossiersConfig, DossierSyncConfig

__all__ = ["DossierSyncConfig", "DossiersConfig", "settings"]


def settings(cfg: CentreConfig) -> DossiersConfig:
    """The centre's dossier section (its defaults when the file has none)."""
    return cfg.dossiers
