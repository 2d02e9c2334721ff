"""Type stubs for an enum_class() class: a .pyi naming the real members, so
that a type checker knows EndpointType.OPENAI_CHAT and refuses a misspelt
attribute.

    python3 -m dynenum stubs app.db endpoint_type > endpoint_types.pyi

The stub stands for a module whose one export is the class: put
`EndpointType = dynenum.enum_class(conn, "endpoint_type")` in a module of
its own (endpoint_types.py) and the .pyi beside it.  Members added later are
found at run time but are unknown to the stub until it is written again.
Dynamic members are reached by call or item, which the stub types too.
"""
import keyword

from .database_enum import DatabaseEnum, class_name
from .listing import check_enum, read_aliases, read_listing, table_reference


def is_attribute_name(name):
    return name.isidentifier() and not keyword.iskeyword(name) and not name.startswith("_")


def stub_text(conn, enum_name, database, name=None):
    """The .pyi text for the class of enum enum_name on conn."""
    check_enum(conn, enum_name)
    rows = read_listing(conn, table_reference(conn, enum_name))
    name = name or class_name(enum_name)
    lines = [
        "# Type stubs of the dynenum enum %r of %s, written by" % (enum_name, database),
        "# `python3 -m dynenum stubs`: its real members when it ran.",
        "from dynenum import DatabaseEnum",
        "",
        "class %s(DatabaseEnum):" % name,
    ]
    for row in rows:
        if is_attribute_name(row.name):
            lines.append("    %s = %r" % (row.name, row.value))
        else:
            lines.append("    # %r = %r: not an attribute name; %s(%r)" % (row.name, row.value, name, row.name))
    by_ordinal = {row.ordinal: row for row in rows}
    for alias in read_aliases(conn, enum_name):
        member = by_ordinal.get(alias.ordinal)
        # An alias called like an attribute of every enum (name, value)
        # is no attribute of the class (database_enum._add_aliases).
        if member and is_attribute_name(alias.name) and is_attribute_name(member.name) \
                and not any(alias.name in base.__dict__ for base in DatabaseEnum.__mro__):
            lines.append("    %s = %s  # an alias" % (alias.name, member.name))
    return "\n".join(lines) + "\n"
