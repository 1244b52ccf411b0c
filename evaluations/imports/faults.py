"""What an import says when the database goes away under it."""

from django.db import DatabaseError, connection

DATABASE_GONE = "数据库连接中断，本次导入未完成，未写入任何数据；请稍后重新导入"


def database_errors() -> tuple[type[Exception], ...]:
    """Return the exceptions a lost database connection raises.

    Django's own, and the driver's: closing a cursor on a dead connection raises the
    latter unwrapped (sqlite3.ProgrammingError, psycopg.OperationalError).
    """
    return (DatabaseError, connection.Database.Error)
