"""What the Python enum class reads from and writes to the database.

Every query the class makes is here, so that the SQL surface it relies on is
in one place: the enum's listing, the key, resolving one input, and adding a
member.  All of them run on the caller's connection, inside whatever
transaction it has open, on a cursor of their own whose row_factory is None;
text is read as BLOB and decoded here, so that neither the connection's
row_factory nor its text_factory changes what the class reads.  (The key of
an arbitrary string is not here: see dynenum.keys.)
"""
import collections

# One real member as the enum's table lists it, with the keys its name and
# value have (dynenum_key, the C code the collation uses).  An input finds
# the member when its key is one of the two.
ListedMember = collections.namedtuple("ListedMember", "ordinal name value name_key value_key")

# One alias (SPEC §11.4): a second name of the member with that ordinal.
ListedAlias = collections.namedtuple("ListedAlias", "ordinal name name_key")


def rows(conn, sql, parameters=()):
    """All rows of sql, as tuples, whatever conn's row_factory."""
    cursor = conn.cursor()
    cursor.row_factory = None
    try:
        return cursor.execute(sql, parameters).fetchall()
    finally:
        cursor.close()


def text(value):
    """A text column read as BLOB (CAST(x AS BLOB)), as str; None stays None."""
    return value.decode("utf-8") if isinstance(value, bytes) else value


def schemas(conn):
    """The names of conn's schemas, in PRAGMA database_list's order."""
    return [text(name) for (name,) in rows(conn, "SELECT CAST(name AS BLOB) FROM pragma_database_list ORDER BY seq")]


def quote_identifier(name):
    return '"' + name.replace('"', '""') + '"'


def table_reference(conn, enum):
    """The enum's table as SQL names it.

    An enum name is found as a table name is (SPEC §7.1): 'aux.colour' is
    table colour of schema aux when aux is a schema of the connection (the
    longest such prefix wins), otherwise a table whose name has a dot.
    """
    folded = enum.lower()
    schema = None
    for name in schemas(conn):
        if folded.startswith(name.lower() + ".") and (schema is None or len(name) > len(schema)):
            schema = name
    if schema is None:
        return quote_identifier(enum)
    return quote_identifier(schema) + "." + quote_identifier(enum[len(schema) + 1:])


def enum_schema(conn, enum):
    """(schema, table) of the enum, found as dynenum finds it: in the
    schema its name names, else in temp, main and the attached schemas in
    that order (SPEC §7.1)."""
    listed = schemas(conn)
    folded = enum.lower()
    named = [s for s in listed if folded.startswith(s.lower() + ".")]
    if named:
        schema = max(named, key=len)
        return schema, enum[len(schema) + 1:]
    order = [s for s in listed if s == "temp"] + [s for s in listed if s != "temp"]
    for schema in order:
        found = rows(conn, "SELECT CAST(name AS BLOB) FROM %s.sqlite_schema"
                     " WHERE type = 'table' AND name = ? COLLATE NOCASE" % quote_identifier(schema), (enum,))
        if found:
            return schema, text(found[0][0])
    return None, enum


def read_aliases(conn, location):
    """The aliases of the enum at location (enum_schema()'s answer), as
    ListedAlias rows, from the catalog (the enum's own table lists each
    member once, as iterating a Python enum does)."""
    schema, table = location
    return [ListedAlias(ordinal, text(name), text(name_key)) for ordinal, name, name_key in rows(
        conn, "SELECT ordinal, CAST(name AS BLOB), CAST(dynenum_key(name) AS BLOB) FROM dynenum_members"
        " WHERE schema = ? AND enum = ? COLLATE NOCASE AND alias_of IS NOT NULL", (schema, table))]


def check_enum(conn, enum):
    """Raises sqlite3.OperationalError (`no such enum: 'X'`) unless enum
    names an enum the connection can see."""
    rows(conn, "SELECT dynenum_is_member(?, '')", (enum,))


def read_names(conn, table):
    """(ordinal, name) of each real member, in ordinal order: what a reload
    compares with what the class has, in one statement."""
    return [(ordinal, text(name)) for ordinal, name in rows(
        conn, "SELECT ordinal, CAST(name AS BLOB) FROM %s ORDER BY ordinal" % table)]


def read_listing(conn, table, first=None):
    """The real members in ordinal order, as ListedMember rows; only those
    whose ordinal is at least first, when given."""
    return [ListedMember(ordinal, *(text(column) for column in columns)) for ordinal, *columns in rows(
        conn, "SELECT ordinal, CAST(name AS BLOB), CAST(value AS BLOB), CAST(dynenum_key(name) AS BLOB),"
        " CAST(dynenum_key(value) AS BLOB) FROM %s WHERE ordinal >= ? ORDER BY ordinal" % table,
        (-(1 << 63) if first is None else first,))]


def resolve(conn, enum, spelling):
    """(value, ordinal): what dynenum_resolve() answers for spelling, and the
    ordinal of the real member it found, or None for a dynamic name.
    Raises sqlite3.OperationalError with dynenum's message for input that is
    neither (a reserved or malformed name)."""
    ((value, ordinal),) = rows(conn, "SELECT CAST(dynenum_resolve(?1, ?2) AS BLOB), dynenum_ordinal(?1, ?2)",
                               (enum, spelling))
    return text(value), ordinal


def insert_member(conn, table, name):
    """Adds the member name (SPEC §2.2.6), in the connection's transaction."""
    rows(conn, "INSERT INTO %s(name) VALUES (?)" % table, (name,))
