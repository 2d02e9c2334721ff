"""A str-based Enum class whose members are those of a dynenum enum.

    EndpointType = dynenum.enum_class(conn, "endpoint_type")
    EndpointType.OPENAI_CHAT is EndpointType("OpenAI-Chat") is EndpointType["openai_chat"]

Members compare and hash by dynenum's key of their value, which the class
computes with the extension's own C code on a private connection
(dynenum.keys), so that Python and COLLATE DYNENUM never disagree and
comparing never touches the caller's connection.  A spelling that is no real
member but a valid dynamic name gives a dynamic member: the value
dynenum_resolve() answers, interned per key while anyone holds it, never
iterated.  Lookups that find no real member in the class ask the caller's
connection, so a member added by another connection or process is seen at
the next lookup that misses.

Threads: the class's lock guards its own dictionaries only and is never held
while the caller's connection runs, so a Python SQL function that uses the
class cannot deadlock against it.  register() and refresh() are serialised
with a second lock, held across their SQL (see SPEC §10 for what remains).
Open the connection with check_same_thread=False to share it between
threads.
"""
import enum
import keyword
import sqlite3
import threading
import types
import typing
import unicodedata
import weakref

from . import listing
from .keys import KeyConnection, version


class EnumState:
    """What one class knows of its enum, and the locks that guard it."""

    def __init__(self, conn, enum_name, keys):
        self.conn = conn
        self.enum_name = enum_name
        self.table = listing.table_reference(conn, enum_name)
        self.location = listing.enum_schema(conn, enum_name)
        self.keys = keys
        # Guards the dictionaries below and the class's member tables; held
        # only while Python code runs, never across SQL.
        self.lock = threading.RLock()
        # Serialises register() and refresh(), whose reads of the listing
        # must not be applied out of order; held across their SQL.
        self.writing = threading.RLock()
        self.by_key = {}
        self.by_ordinal = {}
        # Dynamic members by the key of their value, kept while someone
        # holds them: refused or forgotten names cost nothing.
        self.dynamic = weakref.WeakValueDictionary()
        self.aliases = {}

    def key(self, text):
        return self.keys.key(text)


class LookupFailed(Exception):
    """dynenum refused an input (a reserved or malformed name, a non-text
    value); the message is dynenum's."""


def _create_member(cls, name, value, value_key, ordinal):
    member = str.__new__(cls, value)
    member._name_ = name
    member._value_ = value
    member.__objclass__ = cls
    member._dynenum_key = value_key
    member._dynenum_ordinal = ordinal
    return member


def is_attribute_name(name):
    """Whether `E.name` in a program reaches the member called name: an
    identifier Python does not rewrite (its parser normalises identifiers
    with NFKC, so `E.\ufb01le` reads `E.file`), no keyword, not private."""
    return (name.isidentifier() and unicodedata.normalize("NFKC", name) == name
            and not keyword.iskeyword(name) and not name.startswith("_"))


def hides_something(cls, name):
    """Whether a class attribute name would hide one the class has from its
    bases (name, value, ordinal, dynamic, a str method) or from its
    metaclass (mro): such a member or alias is reached by item and lookup
    only."""
    return any(name in base.__dict__ for base in cls.__mro__ + type(cls).__mro__)


class DatabaseEnumType(enum.EnumMeta):
    """The metaclass: lookups by attribute and item from any spelling."""

    # Names Pydantic 1 and typing tools ask the type for with getattr(type,
    # name, default), meaning "has none": found by lookup each would be a
    # (true) dynamic member, which Pydantic keeps in every field of the type
    # or takes for a constraint (schema() of Dict[E, int] reads .regex).
    # Declared here, they are no member's attribute (SPEC §10).
    validate_always = False
    regex = None
    pattern = None
    max_length = None
    min_length = None
    allow_inf_nan = None

    # Hidden from type checkers, so that with the stubs of `python3 -m
    # dynenum stubs` a misspelt member is an error there.
    if not typing.TYPE_CHECKING:
        def __getattr__(cls, name):
            # Enum's own machinery and every private name stay plain
            # attributes; dynenum refuses names that start with '_' anyway.
            if name.startswith("_") or "_dynenum_state" not in cls.__dict__:
                raise AttributeError(name)
            try:
                return cls._dynenum_lookup(name)
            except LookupFailed as error:
                raise AttributeError(str(error)) from None

    def __getitem__(cls, name):
        member = cls._member_map_.get(name)
        if member is not None:
            return member
        try:
            return cls._dynenum_lookup(name)
        except LookupFailed as error:
            raise KeyError(str(error)) from None

    def __contains__(cls, value):
        """Whether value spells a real member (a dynamic name does not)."""
        if isinstance(value, cls) and not value._dynenum_is_dynamic():
            return True
        try:
            return not cls._dynenum_lookup(value)._dynenum_is_dynamic()
        except LookupFailed:
            return False


class DatabaseEnum(str, enum.Enum, metaclass=DatabaseEnumType):
    """The base of the classes enum_class() makes; see enum_class()."""

    @classmethod
    def _missing_(cls, value):
        try:
            return cls._dynenum_lookup(value)
        except LookupFailed as error:
            raise ValueError(str(error)) from None

    @classmethod
    def _dynenum_lookup(cls, text):
        """The member text spells: a real one, else the interned dynamic one.
        Runs SQL on the caller's connection only when the class has no real
        member of that key, and holds no lock while it does; errors of the
        connection itself (closed, used from a thread it refuses) are
        sqlite3's, raised as they are."""
        if isinstance(text, cls):
            return text
        state = cls._dynenum_state
        if not isinstance(text, str):
            raise LookupFailed("dynenum_resolve(): expected text in enum '%s', got %s"
                               % (state.enum_name, sql_description(text)))
        try:
            key = state.key(text)
        except UnicodeEncodeError:
            # A lone surrogate: no UTF-8 text, so SQLite never sees it.
            raise LookupFailed("dynenum_resolve(): " + malformed_message(text, state.enum_name)) from None
        member = state.by_key.get(key)
        if member is not None:
            return member
        try:
            value, ordinal = listing.resolve(state.conn, state.enum_name, text)
        except state.conn.OperationalError as error:
            # The connection's own class: sqlite3's, or that of a module with
            # its API (DB-API connections carry their exceptions).
            raise LookupFailed(str(error)) from None
        if ordinal is not None:
            # A member this class has not seen: added by another
            # connection, or in this transaction.
            _reload(cls, forget=False)
            member = state.by_ordinal.get(ordinal)
            if member is not None and member._value_ != value:
                # The class's member of that ordinal was undone by a
                # rollback and the ordinal reused: drop what the listing
                # names otherwise, never what it merely lacks, which an
                # older read may (only register() and refresh() do that).
                _reload(cls, forget=False, replaced=True)
                member = state.by_ordinal.get(ordinal)
            if member is not None and member._value_ == value:
                return member
        # Interned by the key of the value: every spelling the database
        # resolves to one value is one object, while anyone holds it.
        value_key = state.key(value)
        with state.lock:
            # The answer may be stale: another thread may have added the
            # member since, and dropped the dynamic object from the table.
            member = state.by_key.get(key) or state.by_key.get(value_key)
            if member is not None:
                return member
            member = state.dynamic.get(value_key)
            if member is None:
                member = _create_member(cls, text, value, value_key, None)
                state.dynamic[value_key] = member
        return member

    def _dynenum_is_dynamic(self):
        return self._dynenum_ordinal is None

    def __eq__(self, other):
        if isinstance(other, DatabaseEnum):
            return self._dynenum_key == other._dynenum_key
        if isinstance(other, str):
            try:
                return self._dynenum_key == type(self)._dynenum_state.key(other)
            except UnicodeEncodeError:  # not text SQLite can hold, so no member's
                return False
        return NotImplemented

    def __ne__(self, other):
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self):
        # The hash of the key, which equals the hash of the value itself for
        # every value that is its own key (each added member's is); a value
        # that is not (X = 'MixedCase') equals 'MixedCase' but is not found
        # in a set of it (SPEC §10).
        return hash(self._dynenum_key)

    def __str__(self):
        return self._value_

    def __format__(self, spec):
        return format(self._value_, spec)

    def __repr__(self):
        return "<%s.%s: %r%s>" % (type(self).__name__, self._name_, self._value_,
                                   " (dynamic)" if self._dynenum_is_dynamic() else "")

    @types.DynamicClassAttribute
    def ordinal(self):
        """The member's ordinal in the enum, None for a dynamic member."""
        return self._dynenum_ordinal

    @types.DynamicClassAttribute
    def dynamic(self):
        """True for a dynamic member: a valid name that is no real member."""
        return self._dynenum_is_dynamic()

    @classmethod
    def __get_validators__(cls):
        # Pydantic 1.x finds this before its own Enum validator.
        from .pydantic_support import validator
        yield validator(cls)

    @classmethod
    def __get_pydantic_core_schema__(cls, source, handler):
        # Pydantic 2 asks for this instead; say which Pydantic works.
        from .pydantic_support import unsupported
        raise unsupported()


def sql_description(value):
    """value as dynenum's SQL errors describe a non-text argument (SPEC
    §2.3.3); values SQL cannot hold by type name and repr."""
    if value is None:
        return "NULL"
    if isinstance(value, bool) or not isinstance(value, (int, float, bytes, bytearray, memoryview)):
        return "%s %.40r" % (type(value).__name__, value)
    if isinstance(value, int):
        return "integer %d" % value
    if isinstance(value, float):
        return "real %r" % value
    size = memoryview(value).nbytes
    return "blob of %d byte%s" % (size, "" if size == 1 else "s")


def malformed_message(text, enum_name):
    return "malformed UTF-8 in name %s in enum '%s'" % (ascii(text), enum_name)


class Tables:
    """Copies of Enum's member tables, changed by one reload and then put
    in place of the class's in one step each: a thread iterating
    __members__ or the class meanwhile goes on with the tables it had."""

    def __init__(self, cls):
        self.names = list(cls._member_names_)
        self.members = dict(cls._member_map_)
        self.values = dict(cls._value2member_map_)

    def install(self, cls):
        # __members__ lists the members in ordinal order, then the aliases.
        members = {name: self.members[name] for name in self.names}
        members.update(self.members)
        type.__setattr__(cls, "_value2member_map_", self.values)
        type.__setattr__(cls, "_member_map_", members)
        type.__setattr__(cls, "_member_names_", self.names)


def _add_member(cls, tables, row):
    state = cls._dynenum_state
    member = _create_member(cls, row.name, row.value, row.value_key, row.ordinal)
    member._sort_order_ = len(tables.names)
    tables.names.append(row.name)
    tables.members[row.name] = member
    tables.values.setdefault(row.value, member)
    # A member called like something every member has (name, dynamic, mro)
    # is reached by item and lookup only: as an attribute it would hide
    # that for every member.  So is one whose name Python's parser rewrites.
    if is_attribute_name(row.name) and not hides_something(cls, row.name):
        type.__setattr__(cls, row.name, member)
    _index(state, member, row)


def _index(state, member, row):
    state.by_ordinal[row.ordinal] = member
    state.by_key[row.name_key] = member
    state.by_key[row.value_key] = member
    # A name that was dynamic is a member now; the old object stays valid
    # and equal to it.
    state.dynamic.pop(row.name_key, None)
    state.dynamic.pop(row.value_key, None)


def _add_aliases(cls, tables, aliases):
    """Makes each alias of the enum a Python alias of its member: in
    __members__, as an attribute and by item, found by its key, never
    iterated (SPEC §11.4)."""
    state = cls._dynenum_state
    for alias in aliases:
        member = state.by_ordinal.get(alias.ordinal)
        if member is None or tables.members.get(alias.name) is member:
            continue
        tables.members[alias.name] = member
        if is_attribute_name(alias.name) and not hides_something(cls, alias.name):
            type.__setattr__(cls, alias.name, member)
        state.by_key[alias.name_key] = member
        state.dynamic.pop(alias.name_key, None)
        state.aliases[alias.name] = member


def _reload(cls, forget, replaced=False):
    """Adds the members and aliases the database lists and the class lacks.
    Members are never changed or removed (SPEC §2.2.7), except by a
    rollback: with forget, a member the listing no longer has is dropped
    from lookups and iteration, with its aliases; with replaced, only one
    whose ordinal the listing gives another name.

    One statement reads every (ordinal, name), compared bytewise with what
    the class has; a second reads the new members only, with their keys.
    No lock is held while they run."""
    state = cls._dynenum_state
    names = listing.read_names(state.conn, state.table)
    new = [ordinal for ordinal, _ in names if ordinal not in state.by_ordinal]
    rows = listing.read_listing(state.conn, state.table, min(new)) if new else []
    aliases = listing.read_aliases(state.conn, state.location)
    listed = dict(names)
    with state.lock:
        tables = Tables(cls)
        for ordinal, member in list(state.by_ordinal.items()):
            now = listed.get(ordinal)
            if (forget and now != member._name_) or (replaced and now not in (None, member._name_)):
                _forget(cls, tables, member)
        for row in rows:
            if row.ordinal not in state.by_ordinal and listed.get(row.ordinal) == row.name:
                _add_member(cls, tables, row)
        _add_aliases(cls, tables, aliases)
        tables.install(cls)


def _forget(cls, tables, member):
    state = cls._dynenum_state
    state.by_ordinal.pop(member._dynenum_ordinal, None)
    state.by_key = {k: m for k, m in state.by_key.items() if m is not member}
    tables.names.remove(member._name_)
    del tables.members[member._name_]
    if tables.values.get(member._value_) is member:
        del tables.values[member._value_]
    if cls.__dict__.get(member._name_) is member:
        type.__delattr__(cls, member._name_)
    for alias in [name for name, target in state.aliases.items() if target is member]:
        del state.aliases[alias]
        del tables.members[alias]
        if cls.__dict__.get(alias) is member:
            type.__delattr__(cls, alias)


def state_of(cls) -> EnumState:
    """The state enum_class() set on cls (which type checkers, taking an
    Enum's attributes for members, would not know)."""
    return typing.cast(EnumState, cls.__dict__["_dynenum_state"])


# What register() returns: a member of the class it is given.
Member = typing.TypeVar("Member", bound=DatabaseEnum)


def class_name(enum_name):
    """EndpointType for endpoint_type (and for main.endpoint_type)."""
    table = enum_name.rsplit(".", 1)[-1]
    words = [word for word in table.replace("-", "_").split("_") if word]
    name = "".join(word[:1].upper() + word[1:] for word in words)
    return name if name.isidentifier() else "Enum"


def enum_class(conn: typing.Any, enum_name: str, name: typing.Optional[str] = None,
               module: typing.Optional[str] = None) -> typing.Type["DatabaseEnum"]:
    """A str-based Enum class holding the members of the dynenum enum
    enum_name on the sqlite3 connection conn (which has loaded dynenum).

    - Members: the enum's real members, in ordinal order (iteration, len).
      The enum's aliases are Python aliases of their members: in
      __members__, as attributes and items, never iterated.
      A member's value is its declared value; it compares equal to any
      string, or member, whose dynenum key is the key of that value
      (COLLATE DYNENUM), and hashes by that key.
    - Lookups: EndpointType.OPENAI_CHAT, EndpointType("OpenAI-Chat") and
      EndpointType["openai_chat"] give the member whose name or value has
      the key of the spelling, as dynenum_resolve() does.  A valid name that
      is no real member gives a dynamic member (member.dynamic is True,
      member.ordinal None), whose value is exactly what dynenum_resolve()
      answers; the same object for every spelling of it; never iterated.
      Refused names raise ValueError (call), KeyError (item) or
      AttributeError (attribute) with dynenum's message; names that start
      with '_' are never looked up as attributes.
    - Seeing changes: a lookup that finds no real member in the class asks
      the database, so a member another connection or process added is
      seen at the next lookup that misses, at most.  register() adds one;
      refresh() re-reads the listing (after a rollback, say).
    - The class uses conn for as long as it lives; its lookups run inside
      whatever transaction conn has open, on a cursor of their own (conn's
      row_factory and text_factory do not apply).  Keys are computed on an
      in-memory connection the class owns, so ==, hash and lookups of real
      members never use conn.
    - Hashing is by key: a member whose value is not its own key (X =
      'MixedCase') equals 'MixedCase' but is not found in a set of it.
    - A member or alias called like an attribute of the class (name,
      dynamic, mro, ...) or whose name is not NFKC-normalised (Python reads
      E.\ufb01le as E.file) is reached by item and call, not as an attribute.
    - Pickling is by value and needs the class importable: pass
      module=__name__ and bind it to a module-level name equal to name.

    name is the class's name (EndpointType for endpoint_type by default);
    module its __module__.  Raises sqlite3.OperationalError (`no such enum:
    'X'`) when conn has no such enum.
    """
    if not isinstance(enum_name, str):
        raise TypeError("enum_class(): expected the enum's name as text, got %s" % type(enum_name).__name__)
    listing.check_enum(conn, enum_name)
    keys = KeyConnection(conn)
    if version(conn) != version(keys.conn):
        raise sqlite3.OperationalError(
            "enum_class(): the connection has loaded dynenum %s, this package is dynenum %s:"
            " load this package's (dynenum.load(conn))" % (version(conn), version(keys.conn)))
    # No members yet: Enum would refuse some names (mro) and set every one
    # as a class attribute; _add_member decides which are attributes.
    functional: typing.Any = DatabaseEnum  # Enum's functional API, which typeshed does not type
    cls = functional(name or class_name(enum_name), [], module=module)
    state = EnumState(conn, enum_name, keys)
    type.__setattr__(cls, "_dynenum_state", state)
    _reload(cls, forget=False)
    return cls


def register(cls: typing.Type["Member"], name: str) -> "Member":
    """Adds name to the enum of cls as a real member, in the connection's
    current transaction (INSERT INTO enum(name); the caller commits), and
    returns the member.  A name that already spells a real member adds
    nothing and returns that member.  Raises sqlite3.IntegrityError with
    dynenum's message for a name dynenum refuses."""
    state = state_of(cls)
    with state.writing:
        try:
            member = cls._dynenum_lookup(name)
        except LookupFailed:
            member = None  # then the INSERT fails, in dynenum's words for an added name
        if member is not None and not member._dynenum_is_dynamic():
            return member
        if isinstance(name, str):
            try:
                name.encode("utf-8")
            except UnicodeEncodeError:
                # Never bound: Python's sqlite3 would report the error of
                # the statement's previous parameters.
                raise state.conn.IntegrityError("dynenum: " + malformed_message(name, state.enum_name)) from None
        listing.insert_member(state.conn, state.table, name)
        _reload(cls, forget=True)
        return state.by_key[state.key(name)]


def refresh(cls: typing.Type["DatabaseEnum"]) -> None:
    """Re-reads the enum's listing: adds members added elsewhere and drops
    members a rollback undid."""
    with state_of(cls).writing:
        _reload(cls, forget=True)
