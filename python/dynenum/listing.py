"""What the Python enum class reads from and writes to the database.

Every query the class makes is here, so that the SQL surface it relies on is
in one place: the enum's listing, the key, resolving one input, and adding a
member.  All of them run on the caller's connection, inside whatever
transaction it has open.
"""
import collections

# One real member as the enum's table lists it, with the keys its name and
# value have (dynenum_key, the C code the collation uses).  An input finds
# the member when its key is one of the two.
ListedMember = collections.namedtuple("ListedMember", "ordinal name value name_key value_key")

# One alias (SPEC §11.4): a second name of the member with that ordinal.
ListedAlias = collections.namedtuple("ListedAlias", "ordinal name name_key")


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
    for row in conn.execute("PRAGMA database_list"):
        name = row[1]
        if folded.startswith(name.lower() + ".") and (schema is None or len(name) > len(schema)):
            schema = name
    if schema is None:
        return quote_identifier(enum)
    return quote_identifier(schema) + "." + quote_identifier(enum[len(schema) + 1:])


def enum_schema(conn, enum):
    """(schema, table) of the enum, found as dynenum finds it: in the
    schema its name names, else in temp, main and the attached schemas in
    that order (SPEC §7.1)."""
    schemas = [row[1] for row in conn.execute("PRAGMA database_list")]
    folded = enum.lower()
    named = [s for s in schemas if folded.startswith(s.lower() + ".")]
    if named:
        schema = max(named, key=len)
        return schema, enum[len(schema) + 1:]
    order = [s for s in schemas if s == "temp"] + [s for s in schemas if s != "temp"]
    for schema in order:
        found = conn.execute("SELECT name FROM %s.sqlite_schema WHERE type = 'table' AND name = ? COLLATE NOCASE"
                             % quote_identifier(schema), (enum,)).fetchone()
        if found:
            return schema, found[0]
    return None, enum


def read_aliases(conn, enum):
    """The enum's aliases, as ListedAlias rows, from the catalog (the enum's
    own table lists each member once, as iterating a Python enum does)."""
    schema, table = enum_schema(conn, enum)
    return [ListedAlias(*row) for row in conn.execute(
        "SELECT ordinal, name, dynenum_key(name) FROM dynenum_members"
        " WHERE schema = ? AND enum = ? COLLATE NOCASE AND alias_of IS NOT NULL", (schema, table))]


def check_enum(conn, enum):
    """Raises sqlite3.OperationalError (`no such enum: 'X'`) unless enum
    names an enum the connection can see."""
    conn.execute("SELECT dynenum_is_member(?, '')", (enum,)).fetchone()


def read_listing(conn, table):
    """The real members in ordinal order, as ListedMember rows."""
    return [ListedMember(*row) for row in conn.execute(
        "SELECT ordinal, name, value, dynenum_key(name), dynenum_key(value)"
        " FROM %s ORDER BY ordinal" % table)]


def key(conn, text):
    """dynenum_key(text), computed by the extension."""
    return conn.execute("SELECT dynenum_key(?)", (text,)).fetchone()[0]


def resolve(conn, enum, text):
    """(value, ordinal): what dynenum_resolve() answers for text, and the
    ordinal of the real member it found, or None for a dynamic name.
    Raises sqlite3.OperationalError with dynenum's message for input that is
    neither (a reserved or malformed name)."""
    return conn.execute("SELECT dynenum_resolve(?1, ?2), dynenum_ordinal(?1, ?2)", (enum, text)).fetchone()


def insert_member(conn, table, name):
    """Adds the member name (SPEC §2.2.6), in the connection's transaction."""
    conn.execute("INSERT INTO %s(name) VALUES (?)" % table, (name,))
