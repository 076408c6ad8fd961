from __future__ import annotations

from pathlib import Path

from huey import RedisHuey, SqliteHuey

from integration.queue import build_huey, task_modules
from tests.integration.conftest import make_settings


class TestBuildHuey:
    def test_sqlite_in_data_dir_by_default(self, tmp_path: Path) -> None:
        huey = build_huey(make_settings(tmp_path / "d"), name="t1")
        assert isinstance(huey, SqliteHuey)
        assert huey.storage.filename == str(tmp_path / "d" / "queue.db")

    def test_redis_when_configured(self, tmp_path: Path) -> None:
        settings = make_settings(tmp_path, general={"redis_url": "redis://127.0.0.1:6399/3"})
        huey = build_huey(settings, name="t2")
        assert isinstance(huey, RedisHuey)
        kwargs = huey.storage.conn.connection_pool.connection_kwargs
        assert (kwargs["port"], kwargs["db"]) == (6399, 3)

    def test_sqlite_queue_round_trip(self, tmp_path: Path) -> None:
        huey = build_huey(make_settings(tmp_path), name="t3")
        task = huey.task(name="double")(lambda x: 2 * x)
        task(21)
        assert huey.pending_count() == 1
        result = huey.execute(huey.dequeue())
        assert result == 42


def test_every_task_module_is_found() -> None:
    assert "integration.tasks.deliveries" in task_modules()
