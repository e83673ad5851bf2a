"""The store: engine and sessions, typed models, Alembic migrations, the catalogue of configured rows."""
