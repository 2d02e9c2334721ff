"""Pydantic 1.x validation of fields typed with an enum_class() class.

    class Request(pydantic.BaseModel):
        endpoint: EndpointType                                   # real members only
        plugin_endpoint: EndpointType = pydantic.Field(..., allow_dynamic=True)
        fallback: Optional[EndpointType] = pydantic.Field(None, allow_dynamic=True)
        chain: List[Annotated[EndpointType, pydantic.Field(allow_dynamic=True)]] = []

Any spelling of a real member validates to that member.  A valid name that
is no real member validates to its dynamic member only where the field says
allow_dynamic=True; elsewhere it is refused with Pydantic's enum error,
which lists the permitted values.  Inside a container (List, Set, Tuple,
Dict values) Pydantic 1 validates each item as a field of its own, which
does not inherit the container field's settings: say allow_dynamic on the
item, with Annotated, as `chain` does (an item's refusal says so).  Names dynenum refuses are refused
with dynenum's message.  With the model's Config.use_enum_values, fields keep
the member's value, a plain str, as Pydantic does for its own enums.  Pydantic is imported only when a model uses the
class; Pydantic 2 is refused with a message naming the supported version
(the wheel's extra `dynenum[pydantic]` installs it).
"""


from .database_enum import LookupFailed

SUPPORTED = "pydantic>=1.10,<2"


def unsupported():
    import pydantic

    return TypeError("dynenum: Pydantic %s is not supported: enum_class() classes validate with Pydantic 1.10"
                     " (pip install '%s')" % (pydantic.VERSION, SUPPORTED))


def validator(cls):
    """The Pydantic 1 validator of fields of type cls."""
    import pydantic
    from pydantic import errors

    if not str(pydantic.VERSION).startswith("1."):
        raise unsupported()

    def validate_member(value, field, config):
        try:
            member = cls._dynenum_lookup(value)
        except LookupFailed as error:
            raise ValueError(str(error)) from None
        if member._dynenum_is_dynamic() and not field.field_info.extra.get("allow_dynamic", False):
            # Refused: no reference to the member outlives this call (the
            # error's traceback holds this frame), so it is not kept.
            del member
            # Pydantic 1 names an item of a container field '_' + the
            # field's name, which a model's own field cannot start with; its
            # settings are the item's, so the refusal says where they go.
            if field.name.startswith("_"):
                raise ItemRefused(enum_values=list(cls), class_name=cls.__name__)
            raise errors.EnumMemberError(enum_values=list(cls))
        # As Pydantic does for its own Enum fields: the model keeps the
        # value, a plain str (a dynamic member's is what SQL resolves it to).
        return member._value_ if getattr(config, "use_enum_values", False) else member

    class ItemRefused(errors.EnumMemberError):
        def __str__(self):
            return ("%s; an item allows a dynamic member when it says so itself:"
                    " List[Annotated[%s, Field(allow_dynamic=True)]]" % (super().__str__(), self.class_name))
    return validate_member
