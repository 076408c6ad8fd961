"""Queue tasks, one module per process.

Each module exposes ``register(queue: integration.queue.Queue) -> None`` and registers
its functions on ``queue.huey`` (``queue.huey.task(name=...)`` /
``queue.huey.periodic_task(crontab(...), name=...)``), storing the wrappers in
``queue.tasks[name]``. Tasks reach settings, store and helpdesk through
``queue.runtime``. ``integration.queue.Queue`` imports every module here.
"""
