"""The store's tables, as SQLAlchemy 2 typed models, one module per area.

Migrations in ``lobby/store/migrations`` are the only way the schema is made; a test
checks that they match these models on both SQLite and PostgreSQL. Importing this
package registers every table on :class:`Base`.
"""
from lobby.store.models.base import (
    NAMING,
    REPORT_COLUMNS,
    Base,
    BigId,
    UTCDateTime,
    duration_us,
)
from lobby.store.models.dossiers import (
    Dossier,
)
from lobby.store.models.feedback import (
    RatingReason,
    Remark,
)
from lobby.store.models.queue import (
    Counter,
    CounterService,
    DaySequence,
    Event,
    Rating,
    Service,
    Staff,
    Ticket,
)
from lobby.store.models.reports import (
    DaySummary,
    DaySummaryGroup,
    DaySummaryValues,
)
from lobby.store.models.security import (
    EventKindGrant,
)
from lobby.store.models.web import (
    Alert,
    ApiToken,
    ServicePause,
    WebPassword,
    WebSession,
)

__all__ = [
    "BigId",
    "NAMING",
    "UTCDateTime",
    "Base",
    "REPORT_COLUMNS",
    "duration_us",
    "Service",
    "Staff",
    "Counter",
    "CounterService",
    "DaySequence",
    "Ticket",
    "Rating",
    "Event",
    "Alert",
    "ServicePause",
    "WebPassword",
    "WebSession",
    "ApiToken",
    "Dossier",
    "EventKindGrant",
    "RatingReason",
    "Remark",
    "DaySummary",
    "DaySummaryGroup",
    "DaySummaryValues",
]
