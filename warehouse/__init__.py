"""The only room with SQL: schema and migrations, bulk writes, the reads others need."""

from warehouse.batch import BatchWrite
from warehouse.connection import WarehouseLocked, connect
from warehouse.schema import SCHEMA_VERSION

__all__ = ["SCHEMA_VERSION", "BatchWrite", "WarehouseLocked", "connect"]
