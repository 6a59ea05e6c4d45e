"""Arrow tables registered for a statement, when the statement fails in a transaction."""

import duckdb
import pyarrow as pa
import pytest

from warehouse.connection import registered


def test_the_statements_own_error_is_raised_not_the_aborted_transactions():
    """A failed statement aborts its transaction, and unregistering the table then fails
    too; that error ("Current transaction is aborted") used to replace the one that said
    what went wrong, in the run's log and its summary, on every retry."""
    con = duckdb.connect()
    con.execute("CREATE TABLE t (n INTEGER NOT NULL)")
    con.execute("BEGIN TRANSACTION")
    with pytest.raises(duckdb.ConstraintException), \
            registered(con, _incoming=pa.table({"n": [1, None]})):
        con.execute("INSERT INTO t SELECT n FROM _incoming")
    con.execute("ROLLBACK")
    with registered(con, _incoming=pa.table({"n": [2]})):  # the name is free again
        con.execute("INSERT INTO t SELECT n FROM _incoming")
    assert con.execute("SELECT n FROM t").fetchall() == [(2,)]
