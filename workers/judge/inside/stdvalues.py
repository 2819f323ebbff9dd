"""Standard-library values that cross between an assert test and the program as data (issue 13).

`Fraction`, `Decimal`, dates and times, `range`, dict views, namedtuples, `bytearray`,
`array` and `SimpleNamespace` are what correct programs return where their dataset's own
harness (program and test in one process) accepts them.  Each crosses as tagged JSON data
and the receiving process rebuilds the same standard type from it, with the same equality,
hashing and attributes: nothing the sender named is imported, looked up or called, and data
that does not rebuild raises (ValueError or the type's own error), which `rpc.Codec.decode`
makes the sender's BadMessage.  Stdlib only, Python >= 3.11.
"""

import array
import base64
import collections
import datetime
import decimal
import fractions
import keyword
import re
import types

# Numbers are bounded as the JSON parser bounds an int (Python's int_max_str_digits), so a
# Decimal's digits and exponent too: a test's `int(d)` stays as cheap as on a JSON int.
MAX_DIGITS = 4300
# A namedtuple class is made in the test process for each typename and fields it receives.
MAX_NAME = 100
MAX_FIELDS = 255
MAX_NAMEDTUPLES = 64
_DECIMAL = re.compile(
    r"[+-]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:E[+-]?\d+)?|Inf(?:inity)?|s?NaN\d*)",
    re.ASCII | re.IGNORECASE,
)
# Dict views (an OrderedDict's too) cross as a plain dict's: keys and items compare as sets,
# values only as themselves.
_VIEWS = {
    type({}.keys()): "$K",
    type({}.values()): "$V",
    type(collections.OrderedDict().keys()): "$K",
    type(collections.OrderedDict().values()): "$V",
}
_ITEMS = (type({}.items()), type(collections.OrderedDict().items()))


# -- the sender's side ----------------------------------------------------------------------


def is_namedtuple(kind):
    """Whether a tuple subclass is a namedtuple (collections' or typing's, or one below it)."""
    fields = getattr(kind, "_fields", None)
    return type(fields) is tuple and all(type(name) is str for name in fields)


def encode_namedtuple(codec, value, memo):
    kind = type(value)
    values = [codec._enc(v, memo) for v in tuple.__iter__(value)]
    return {"$N": [kind.__name__, list(kind._fields), values]}


def _encode_clock(codec, value, memo):
    """A datetime or time; one whose tzinfo is not a fixed offset (zoneinfo's: code, not
    data) crosses as the sender's opaque object."""
    if value.tzinfo is not None and type(value.tzinfo) is not datetime.timezone:
        return codec.opaque(value)
    clock = [value.hour, value.minute, value.second, value.microsecond, value.fold]
    tz = _timezone_data(value.tzinfo)
    if type(value) is datetime.time:
        return {"$time": [*clock, tz]}
    return {"$datetime": [value.year, value.month, value.day, *clock, tz]}


def _timezone_data(tz):
    if tz is None:
        return None
    offset = tz.utcoffset(None)
    return [offset.days, offset.seconds, offset.microseconds, tz.tzname(None)]


# -- the receiver's side --------------------------------------------------------------------


def _ints(body, count):
    """`body` as a list of `count` ints (never bools): the fields of a date, a range, ..."""
    if type(body) is not list or len(body) != count or any(type(v) is not int for v in body):
        raise ValueError(f"expected {count} integers")
    return body


def _timezone(body):
    if body is None:
        return None
    if type(body) is not list or len(body) != 4:
        raise ValueError("a time zone is an offset and a name")
    *offset, name = body
    plain = datetime.timezone(datetime.timedelta(*_ints(offset, 3)))
    if type(name) is not str or len(name) > MAX_NAME:
        raise ValueError("a time zone name that is not a short string")
    return plain if name == plain.tzname(None) else datetime.timezone(plain.utcoffset(None), name)


def _clock(kind, body, count):
    """A datetime (7 fields) or time (4), then its fold, then its fixed-offset zone or null."""
    if type(body) is not list or len(body) != count + 2:
        raise ValueError(f"a {kind.__name__} has {count + 2} fields")
    *fields, fold = _ints(body[: count + 1], count + 1)
    return kind(*fields, tzinfo=_timezone(body[-1]), fold=fold)


def _decimal(text):
    if type(text) is not str or len(text) > MAX_DIGITS + 64 or not _DECIMAL.fullmatch(text):
        raise ValueError("not a decimal number")
    value = decimal.Decimal(text)
    _, digits, exponent = value.as_tuple()
    if len(digits) > MAX_DIGITS or (type(exponent) is int and abs(exponent) > MAX_DIGITS):
        raise ValueError(f"a decimal over {MAX_DIGITS} digits")
    return value


def _fraction(body):
    numerator, denominator = _ints(body, 2)
    if denominator <= 0:
        raise ValueError("a fraction's denominator is positive")
    return fractions.Fraction(numerator, denominator)


def _namedtuple(codec, body, dec):
    """A namedtuple of a class made here from its names (`namedtuple_class`), never the
    sender's."""
    typename, fields, values = body
    cls = namedtuple_class(codec.namedtuples, typename, fields)
    if type(values) is not list or len(values) != len(fields):
        raise ValueError("a namedtuple's values do not match its fields")
    return cls._make([dec(v) for v in values])


def namedtuple_class(made, typename, fields):
    """The class for these names in `made`, made there once: names checked as identifiers
    (collections.namedtuple compiles them into its `__new__`), bounded in length and
    number, and at most MAX_NAMEDTUPLES classes a process."""
    if type(fields) is not list:
        raise ValueError("a namedtuple's fields are a list")
    key = (typename, tuple(fields))
    cls = made.get(key)
    if cls is None:
        _check_names(typename, fields)
        if len(made) >= MAX_NAMEDTUPLES:
            raise ValueError(f"over {MAX_NAMEDTUPLES} namedtuple types")
        cls = made[key] = collections.namedtuple(typename, fields)
    return cls


def _check_names(typename, fields):
    if len(fields) > MAX_FIELDS or len(set(fields)) != len(fields):
        raise ValueError("namedtuple fields that are too many or repeat")
    for name in [typename, *fields]:
        if not (type(name) is str and len(name) <= MAX_NAME and name.isidentifier()):
            raise ValueError("a namedtuple name that is not an identifier")
        if keyword.iskeyword(name):
            raise ValueError(f"{name!r} cannot name a namedtuple")
    if any(name.startswith("_") for name in fields):
        raise ValueError("a namedtuple field name starts with an underscore")


def _array(body, dec):
    typecode, items = body
    if type(typecode) is not str or len(typecode) != 1 or typecode not in array.typecodes:
        raise ValueError("not an array type code")
    return array.array(typecode, [dec(v) for v in items])


def _namespace(body, dec):
    attrs = {name: dec(v) for name, v in body}
    if any(type(name) is not str for name in attrs):
        raise ValueError("a namespace's attribute names are strings")
    return types.SimpleNamespace(**attrs)


# Exact type -> its tagged data, given (codec, value, memo).
ENCODE = {
    fractions.Fraction: lambda c, v, m: {"$F": [v.numerator, v.denominator]},
    decimal.Decimal: lambda c, v, m: {"$E": str(v)},
    bytearray: lambda c, v, m: {"$B": base64.b64encode(v).decode()},
    range: lambda c, v, m: {"$R": [v.start, v.stop, v.step]},
    datetime.date: lambda c, v, m: {"$date": [v.year, v.month, v.day]},
    datetime.datetime: _encode_clock,
    datetime.time: _encode_clock,
    datetime.timedelta: lambda c, v, m: {"$timedelta": [v.days, v.seconds, v.microseconds]},
    datetime.timezone: lambda c, v, m: {"$timezone": _timezone_data(v)},
    array.array: lambda c, v, m: {"$A": [v.typecode, [c._enc(x, m) for x in v.tolist()]]},
    types.SimpleNamespace: lambda c, v, m: {
        "$S": [[name, c._enc(x, m)] for name, x in vars(v).items()]
    },
    **{
        view: lambda c, v, m, tag=tag: {tag: [c._enc(x, m) for x in v]}
        for view, tag in _VIEWS.items()
    },
    **{
        view: lambda c, v, m: {"$I": [[c._enc(k, m), c._enc(x, m)] for k, x in v]}
        for view in _ITEMS
    },
}
# Tag -> the value rebuilt from its body, given (codec, body, decode a nested value).
DECODE = {
    "$F": lambda c, body, dec: _fraction(body),
    "$E": lambda c, body, dec: _decimal(body),
    "$B": lambda c, body, dec: bytearray(base64.b64decode(body)),
    "$R": lambda c, body, dec: range(*_ints(body, 3)),
    "$date": lambda c, body, dec: datetime.date(*_ints(body, 3)),
    "$datetime": lambda c, body, dec: _clock(datetime.datetime, body, 7),
    "$time": lambda c, body, dec: _clock(datetime.time, body, 4),
    "$timedelta": lambda c, body, dec: datetime.timedelta(*_ints(body, 3)),
    "$timezone": lambda c, body, dec: _timezone(body),
    "$A": lambda c, body, dec: _array(body, dec),
    "$S": lambda c, body, dec: _namespace(body, dec),
    "$N": _namedtuple,
    "$K": lambda c, body, dec: dict.fromkeys([dec(v) for v in body]).keys(),
    "$V": lambda c, body, dec: dict(enumerate([dec(v) for v in body])).values(),
    "$I": lambda c, body, dec: dict([(dec(k), dec(v)) for k, v in body]).items(),
}
