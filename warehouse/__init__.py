"""The only room with SQL: schema and migrations, bulk writes, the reads others need."""

from warehouse.batch import BatchWrite
from warehouse.connection import WarehouseLocked, between_batches, connect, give_way, held
from warehouse.schema import SCHEMA_VERSION

__all__ = ["SCHEMA_VERSION", "BatchWrite", "WarehouseLocked", "between_batches", "connect",
           "give_way", "held"]
