"""detente's recorders (`detente.recorder`: eventsourcing-sqlalchemy's, inserting on SQLAlchemy Core) pass
the eventsourcing library's own recorder test suite, on SQLite and, when configured, PostgreSQL.

Each class below runs the library's test case unchanged against a recorder `detente.recorder.Factory`
would make: aggregate (snapshots), application (the log), tracking, process, the non-interleaving of
notification ids between concurrent writers, and the factory itself. The library's performance cases only
print timings; they run too (they assert what they insert is there)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.persistence import AggregateRecorder, ApplicationRecorder, ProcessRecorder, TrackingRecorder
from eventsourcing.tests.persistence import (
    AggregateRecorderTestCase,
    ApplicationRecorderTestCase,
    InfrastructureFactoryTestCase,
    NonInterleavingNotificationIDsBaseCase,
    ProcessRecorderTestCase,
    TrackingRecorderTestCase,
)
from eventsourcing.utils import Environment
from eventsourcing_sqlalchemy.datastore import SQLAlchemyDatastore
from eventsourcing_sqlalchemy.recorders import SQLAlchemyTrackingRecorder
from sqlalchemy import text

from detente.recorder import CoreAggregateRecorder, CoreApplicationRecorder, CoreProcessRecorder, Factory
from tests.conftest import POSTGRES_VARIABLE, postgres_url

TABLES = ("stored_events", "snapshots", "tracking", "notification_tracking", "testcase_events", "testcase_snapshots", "testcase_tracking")  # fmt: skip


class OnSQLite:
    """A fresh SQLite file per test (WAL mode, as a store uses)."""

    def setUp(self) -> None:
        self._folder = tempfile.TemporaryDirectory()
        self.url = f"sqlite:///{Path(self._folder.name) / 'recorders.db'}"
        self.datastore = SQLAlchemyDatastore(url=self.url)
        super().setUp()  # type: ignore[misc]

    def tearDown(self) -> None:
        super().tearDown()  # type: ignore[misc]
        if self.datastore.engine is not None:
            self.datastore.engine.dispose()
        self._folder.cleanup()


@pytest.mark.postgres
class OnPostgres:
    """The configured PostgreSQL database, its test tables dropped before and after each test."""

    def setUp(self) -> None:
        url = postgres_url()
        if url is None:
            pytest.skip(f"PostgreSQL not configured: set {POSTGRES_VARIABLE} to run this case")
        self.url = url.replace("postgresql://", "postgresql+psycopg://", 1)
        self.datastore = SQLAlchemyDatastore(url=self.url)
        self._drop_tables()
        super().setUp()  # type: ignore[misc]

    def tearDown(self) -> None:
        super().tearDown()  # type: ignore[misc]
        self._drop_tables()
        if self.datastore.engine is not None:
            self.datastore.engine.dispose()

    def _drop_tables(self) -> None:
        assert self.datastore.engine is not None
        with self.datastore.engine.begin() as connection:
            for table in TABLES:
                connection.execute(text(f"DROP TABLE IF EXISTS {table} CASCADE"))


class AggregateRecorders(AggregateRecorderTestCase):
    datastore: SQLAlchemyDatastore

    def create_recorder(self) -> AggregateRecorder:
        recorder = CoreAggregateRecorder(datastore=self.datastore, events_table_name="stored_events")
        recorder.create_table()
        return recorder


class SnapshotRecorders(AggregateRecorderTestCase):
    datastore: SQLAlchemyDatastore

    def create_recorder(self) -> AggregateRecorder:
        recorder = CoreAggregateRecorder(datastore=self.datastore, events_table_name="snapshots", for_snapshots=True)
        recorder.create_table()
        return recorder


class ApplicationRecorders(ApplicationRecorderTestCase[Any]):
    datastore: SQLAlchemyDatastore

    def create_recorder(self) -> ApplicationRecorder:
        recorder = CoreApplicationRecorder(datastore=self.datastore, events_table_name="stored_events")
        recorder.create_table()
        return recorder


class TrackingRecorders(TrackingRecorderTestCase):
    datastore: SQLAlchemyDatastore

    def create_recorder(self) -> TrackingRecorder:
        recorder = SQLAlchemyTrackingRecorder(datastore=self.datastore, tracking_table_name="tracking")
        recorder.create_table()
        return recorder


class ProcessRecorders(ProcessRecorderTestCase):
    datastore: SQLAlchemyDatastore

    def create_recorder(self) -> ProcessRecorder:
        recorder = CoreProcessRecorder(datastore=self.datastore, events_table_name="stored_events", tracking_table_name="tracking")
        recorder.create_table()
        return recorder


class NonInterleaving(NonInterleavingNotificationIDsBaseCase):
    datastore: SQLAlchemyDatastore

    def create_recorder(self) -> ApplicationRecorder:
        recorder = CoreApplicationRecorder(datastore=self.datastore, events_table_name="stored_events")
        recorder.create_table()
        return recorder


class Factories(InfrastructureFactoryTestCase[Factory]):
    url: str

    def setUp(self) -> None:
        self.env = Environment("TestCase", {"PERSISTENCE_MODULE": "detente.recorder", "SQLALCHEMY_URL": self.url})
        super().setUp()

    def expected_factory_class(self) -> type[Factory]:
        return Factory

    def expected_aggregate_recorder_class(self) -> type[AggregateRecorder]:
        return CoreAggregateRecorder

    def expected_application_recorder_class(self) -> type[ApplicationRecorder]:
        return CoreApplicationRecorder

    def expected_tracking_recorder_class(self) -> type[TrackingRecorder]:
        return SQLAlchemyTrackingRecorder

    def tracking_recorder_subclass(self) -> type[TrackingRecorder]:
        return TrackingSubclass

    def expected_process_recorder_class(self) -> type[ProcessRecorder]:
        return CoreProcessRecorder


class TrackingSubclass(SQLAlchemyTrackingRecorder):
    pass


class TestAggregateRecorderOnSQLite(OnSQLite, AggregateRecorders):
    pass


class TestSnapshotRecorderOnSQLite(OnSQLite, SnapshotRecorders):
    pass


class TestApplicationRecorderOnSQLite(OnSQLite, ApplicationRecorders):
    pass


class TestTrackingRecorderOnSQLite(OnSQLite, TrackingRecorders):
    pass


class TestProcessRecorderOnSQLite(OnSQLite, ProcessRecorders):
    pass


class TestNonInterleavingOnSQLite(OnSQLite, NonInterleaving):
    pass


class TestFactoryOnSQLite(OnSQLite, Factories):
    pass


class TestAggregateRecorderOnPostgres(OnPostgres, AggregateRecorders):
    pass


class TestSnapshotRecorderOnPostgres(OnPostgres, SnapshotRecorders):
    pass


class TestApplicationRecorderOnPostgres(OnPostgres, ApplicationRecorders):
    pass


class TestTrackingRecorderOnPostgres(OnPostgres, TrackingRecorders):
    pass


class TestProcessRecorderOnPostgres(OnPostgres, ProcessRecorders):
    pass


class TestNonInterleavingOnPostgres(OnPostgres, NonInterleaving):
    insert_num = 5000


class TestFactoryOnPostgres(OnPostgres, Factories):
    pass


del AggregateRecorderTestCase, ApplicationRecorderTestCase, InfrastructureFactoryTestCase
del NonInterleavingNotificationIDsBaseCase, ProcessRecorderTestCase, TrackingRecorderTestCase
del AggregateRecorders, SnapshotRecorders, ApplicationRecorders, TrackingRecorders, ProcessRecorders, NonInterleaving, Factories
