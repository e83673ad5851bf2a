"""One APIRouter per area, included by ``web.app.create_app``."""
