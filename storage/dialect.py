"""SQLite's dialect, as the storage layer writes it, translated to PostgreSQL's.

Every statement in ``storage/`` and every migration is written once, in SQLite's dialect.
:func:`to_postgres` is the one place that turns it into PostgreSQL's, so a statement is
never duplicated per backend and new SQL keeps working on both. What it translates:

- placeholders ``?`` → ``$1, $2 …`` (never inside a string literal);
- ``INSERT OR IGNORE`` → ``… ON CONFLICT DO NOTHING``; ``INSERT OR REPLACE`` → ``… ON
  CONFLICT (primary key) DO UPDATE SET`` every other column (the primary keys come from the
  live schema); ``UPDATE OR IGNORE`` → an ``UPDATE`` whose unique-key conflict is ignored
  (:attr:`Translation.ignore_conflict`, handled by the PostgreSQL transaction);
- scalar ``max(a, b)`` / ``min(a, b)`` → ``GREATEST`` / ``LEAST`` (the one-argument
  aggregates stay), ``round(x, digits)`` → on a numeric, ``ifnull`` → ``coalesce``,
  ``instr`` → ``strpos``, ``group_concat`` → ``string_agg``, ``json_extract`` /
  ``json_remove`` → ``jsonb`` operators, ``julianday`` and ``datetime('now')`` → the same
  values from PostgreSQL's clock and time types;
- ``ORDER BY`` terms sort NULL as SQLite does (first ascending, last descending), and so do
  the columns of every index (so an index still serves the ORDER BY it was made for);
- ``LIKE`` → ``ILIKE`` (SQLite's ``LIKE`` ignores ASCII case); ``a IS b`` / ``a IS NOT b``
  with a value → ``IS [NOT] DISTINCT FROM``; ``INDEXED BY`` hints are dropped;
- schema: ``INTEGER PRIMARY KEY`` → an identity column (SQLite's rowid), ``INTEGER`` →
  ``BIGINT`` (Telegram ids need 64 bits), ``REAL`` → ``DOUBLE PRECISION``, ``TEXT`` columns
  compare byte by byte (``COLLATE "C"``, as SQLite, whatever the server's locale), ``VIRTUAL``
  generated columns → ``STORED``, and SQLite's ``BEFORE … BEGIN SELECT RAISE(ABORT, 'why');
  END`` triggers → a trigger calling :data:`RAISE_FUNCTION`.

A migration statement that no translation can express is written for both with
:class:`storage.migrations.Dialects`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["RAISE_FUNCTION", "Translation", "to_postgres"]

RAISE_FUNCTION = """
CREATE OR REPLACE FUNCTION sqlite_raise_abort() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'integrity_constraint_violation';
END
$$
"""
"""The function every translated ``RAISE(ABORT, …)`` trigger calls."""


@dataclass(frozen=True)
class Translation:
    """A statement in PostgreSQL's dialect (one SQLite statement may need a few)."""

    statements: tuple[str, ...]
    ignore_conflict: bool = False  # UPDATE OR IGNORE: a unique-key conflict changes nothing
    returns_rows: bool = False

    @property
    def sql(self) -> str:
        """The single statement (DML translates to one)."""
        (only,) = self.statements
        return only


# --- literals are masked while the code around them is rewritten -------------------------

_LITERAL = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*")
_MASK = re.compile(r"\x00(\d+)\x00")


def _mask(sql: str) -> tuple[str, list[str]]:
    literals: list[str] = []

    def keep(m: re.Match[str]) -> str:
        if m.group(0).startswith("--"):
            return " "
        literals.append(m.group(0))
        return f"\x00{len(literals) - 1}\x00"

    return _LITERAL.sub(keep, sql), literals


def _unmask(sql: str, literals: list[str]) -> str:
    return _MASK.sub(lambda m: literals[int(m.group(1))], sql)


def _literal_text(arg: str, literals: list[str]) -> str | None:
    m = _MASK.fullmatch(arg.strip())
    if m is None:
        return None
    raw = literals[int(m.group(1))]
    return raw[1:-1].replace("''", "'") if raw.startswith("'") else None


# --- function calls ----------------------------------------------------------------------


def _split_args(body: str) -> list[str]:
    args, depth, start = [], 0, 0
    for i, ch in enumerate(body):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            args.append(body[start:i])
            start = i + 1
    args.append(body[start:])
    return [a.strip() for a in args]


def _close_paren(sql: str, open_at: int) -> int:
    depth = 0
    for i in range(open_at, len(sql)):
        if sql[i] == "(":
            depth += 1
        elif sql[i] == ")":
            depth -= 1
            if depth == 0:
                return i
    raise ValueError(f"unbalanced parentheses in {sql!r}")


def _json_path(path: str | None) -> str:
    if path is None or not path.startswith("$"):
        raise ValueError(f"unsupported JSON path {path!r}")
    parts = [p for p in re.split(r"\.|\[(\d+)\]", path[1:]) if p]
    return "'{" + ",".join(parts) + "}'"


Rewrite = Callable[[list[str], list[str]], str | None]


def _greatest(name: str) -> Rewrite:
    return lambda args, lits: f"{name}({', '.join(args)})" if len(args) > 1 else None


def _json_extract(args: list[str], lits: list[str]) -> str:
    return f"(({args[0]})::jsonb #>> {_json_path(_literal_text(args[1], lits))})"


def _json_remove(args: list[str], lits: list[str]) -> str:
    return f"((({args[0]})::jsonb #- {_json_path(_literal_text(args[1], lits))})::text)"


def _julianday(args: list[str], lits: list[str]) -> str:
    if len(args) == 1 and _literal_text(args[0], lits) == "now":
        value = "now()"
    else:
        value = f"({args[0]})::timestamptz"
    return f"(extract(epoch from {value})::float8 / 86400.0 + 2440587.5)"


def _datetime(args: list[str], lits: list[str]) -> str | None:
    if len(args) == 1 and _literal_text(args[0], lits) == "now":
        return "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')"
    return None


_COMMA = "','"


def _round(args: list[str], lits: list[str]) -> str | None:
    """round(x, digits): PostgreSQL rounds to digits only numerics."""
    if len(args) != 2:
        return None
    return f"(round(({args[0]})::numeric, ({args[1]})::int)::float8)"


_FUNCTIONS: dict[str, Rewrite] = {
    "max": _greatest("GREATEST"),
    "min": _greatest("LEAST"),
    "ifnull": lambda args, lits: f"coalesce({', '.join(args)})",
    "round": _round,
    "instr": lambda args, lits: f"strpos({', '.join(args)})",
    "group_concat": lambda args, lits: (
        f"string_agg(({args[0]})::text, {args[1] if len(args) > 1 else _COMMA})"
    ),
    "json_extract": _json_extract,
    "json_remove": _json_remove,
    "julianday": _julianday,
    "datetime": _datetime,
}
_CALL = re.compile(r"\b(" + "|".join(_FUNCTIONS) + r")\s*\(", re.IGNORECASE)


def _functions(sql: str, lits: list[str]) -> str:
    out, pos = [], 0
    while (m := _CALL.search(sql, pos)) is not None:
        open_at = m.end() - 1
        close_at = _close_paren(sql, open_at)
        args = [_functions(a, lits) for a in _split_args(sql[open_at + 1 : close_at])]
        new = _FUNCTIONS[m.group(1).lower()](args, lits)
        out.append(sql[pos : m.start()])
        out.append(new if new is not None else f"{m.group(1)}({', '.join(args)})")
        pos = close_at + 1
    out.append(sql[pos:])
    return "".join(out)


# --- statements --------------------------------------------------------------------------

_TRIGGER = re.compile(
    r"CREATE\s+TRIGGER\s+(?P<name>\w+)\s+(?P<when>BEFORE\s+.*?)\s+ON\s+(?P<table>\w+)\s+"
    r"BEGIN\s+SELECT\s+RAISE\s*\(\s*ABORT\s*,\s*(?P<why>\x00\d+\x00)\s*\)\s*;\s*END",
    re.IGNORECASE | re.DOTALL,
)
_INSERT_OR = re.compile(r"\bINSERT\s+OR\s+(IGNORE|REPLACE)\s+INTO\b|\bREPLACE\s+INTO\b", re.I)
_INSERT_TARGET = re.compile(r"\bINTO\s+(\w+)\s*\(([^)]*)\)", re.IGNORECASE)
_RETURNING = re.compile(r"\bRETURNING\b", re.IGNORECASE)


def _on_conflict(sql: str, clause: str) -> str:
    m = _RETURNING.search(sql)
    if m is None:
        return f"{sql.rstrip().rstrip(';')} {clause}"
    return f"{sql[: m.start()]}{clause} {sql[m.start() :]}"


def _replace_clause(sql: str, keys: Mapping[str, tuple[str, ...]]) -> str:
    m = _INSERT_TARGET.search(sql)
    if m is None or m.group(1).lower() not in keys:
        raise ValueError(f"INSERT OR REPLACE needs a table with a primary key: {sql!r}")
    pk = keys[m.group(1).lower()]
    columns = [c.strip() for c in m.group(2).split(",")]
    updates = [f"{c} = excluded.{c}" for c in columns if c.lower() not in pk]
    if not updates:
        return f"ON CONFLICT ({', '.join(pk)}) DO NOTHING"
    return f"ON CONFLICT ({', '.join(pk)}) DO UPDATE SET {', '.join(updates)}"


_DO_UPDATE = re.compile(r"\bDO\s+UPDATE\s+SET\b", re.IGNORECASE)
_SET_END = re.compile(r"\b(RETURNING|WHERE)\b", re.IGNORECASE)


def _qualify_update(sql: str) -> str:
    """In ``ON CONFLICT … DO UPDATE SET col = expr``, SQLite reads a bare column of ``expr``
    as the existing row's; PostgreSQL calls it ambiguous: name the table."""
    m = _DO_UPDATE.search(sql)
    target = _INSERT_TARGET.search(sql)
    if m is None or target is None:
        return sql
    table, columns = target.group(1), [c.strip() for c in target.group(2).split(",")]
    end = _SET_END.search(sql, m.end())
    stop = end.start() if end else len(sql)
    bare = re.compile(r"(?<![.\w$])(" + "|".join(map(re.escape, columns)) + r")\b(?!\s*\()")
    assignments = []
    for item in _split_args(sql[m.end() : stop]):
        left, _eq, right = item.partition("=")
        qualified = bare.sub(lambda c: f"{table}.{c.group(1)}", right.strip())
        assignments.append(f"{left.strip()} = {qualified}")
    return f"{sql[: m.end()]} {', '.join(assignments)} {sql[stop:]}"


_ORDER_BY = re.compile(r"\bORDER\s+BY\b", re.IGNORECASE)
_ORDER_END = re.compile(r"\b(LIMIT|OFFSET|UNION|EXCEPT|INTERSECT|FOR)\b", re.IGNORECASE)


def _with_nulls(term: str) -> str:
    if re.search(r"\bNULLS\s+(FIRST|LAST)\b", term, re.IGNORECASE):
        return term
    if re.search(r"\bDESC\s*$", term, re.IGNORECASE):
        return f"{term} NULLS LAST"
    return f"{term} NULLS FIRST"


_INDEX = re.compile(r"\bCREATE\s+(UNIQUE\s+)?INDEX\b.*?\bON\s+\w+\s*\(", re.I | re.S)


def _index_like_sqlite(sql: str) -> str:
    """An index's columns sort NULL as the translated ORDER BY terms do, so that the
    index still serves them."""
    m = _INDEX.match(sql.lstrip())
    if m is None:
        return sql
    sql = sql.lstrip()
    close = _close_paren(sql, m.end() - 1)
    terms = ", ".join(_with_nulls(t) for t in _split_args(sql[m.end() : close]))
    return f"{sql[: m.end()]}{terms}{sql[close:]}"


def _nulls_like_sqlite(sql: str) -> str:
    """SQLite sorts NULL before every value (first ascending, last descending);
    PostgreSQL the other way round: every ORDER BY term says so."""
    out, pos = [], 0
    while (m := _ORDER_BY.search(sql, pos)) is not None:
        depth, end = 0, len(sql)
        for i in range(m.end(), len(sql)):
            ch = sql[i]
            if ch == "(":
                depth += 1
            elif ch == ")":
                if depth == 0:
                    end = i
                    break
                depth -= 1
            elif ch == ";" and depth == 0:
                end = i
                break
            elif (
                depth == 0
                and (stop := _ORDER_END.match(sql, i))
                and (i == 0 or not (sql[i - 1].isalnum() or sql[i - 1] == "_"))
            ):
                end = stop.start()
                break
        terms = [_with_nulls(term) for term in _split_args(sql[m.end() : end])]
        out.append(f"{sql[pos : m.end()]} {', '.join(terms)} ")
        pos = end
    out.append(sql[pos:])
    return "".join(out)


_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bINDEXED\s+BY\s+\w+|\bNOT\s+INDEXED\b", re.I), ""),
    (re.compile(r"\bNOT\s+LIKE\b", re.I), "NOT ILIKE"),
    (re.compile(r"(?<!NOT )\bLIKE\b", re.I), "ILIKE"),
    (re.compile(r"\bIS\s+NOT\s+(?!NULL\b|TRUE\b|FALSE\b|DISTINCT\b)", re.I),
     "IS DISTINCT FROM "),
    (re.compile(r"\bIS\s+(?!NOT\b|NULL\b|TRUE\b|FALSE\b|DISTINCT\b)", re.I),
     "IS NOT DISTINCT FROM "),
    # schema
    (re.compile(r"\bINTEGER\s+PRIMARY\s+KEY(\s+AUTOINCREMENT)?\b", re.I),
     "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"),
    (re.compile(r"\bINTEGER\b", re.I), "BIGINT"),
    (re.compile(r"\bREAL\b", re.I), "DOUBLE PRECISION"),
    (re.compile(r"\)\s*VIRTUAL\b", re.I), ") STORED"),
)  # fmt: skip


def _placeholders(sql: str) -> str:
    count = 0

    def number(_: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return f"${count}"

    return re.sub(r"\?", number, sql)


def to_postgres(sql: str, keys: Mapping[str, tuple[str, ...]] | None = None) -> Translation:
    """Translate one SQLite statement; ``keys`` maps each table to its primary key columns
    (needed only by ``INSERT OR REPLACE``)."""
    return _translate(sql, tuple(sorted((keys or {}).items())))


@lru_cache(maxsize=4096)
def _translate(sql: str, keys: tuple[tuple[str, tuple[str, ...]], ...]) -> Translation:
    code, lits = _mask(sql)
    trigger = _TRIGGER.search(code)
    if trigger is not None:
        when = trigger.group("when")
        body = (
            f"CREATE TRIGGER {trigger['name']} {when} ON {trigger['table']} FOR EACH ROW"
            f" EXECUTE FUNCTION sqlite_raise_abort({trigger['why']})"
        )
        return Translation((RAISE_FUNCTION.strip(), _unmask(body, lits)))
    ignore_update = False
    if re.match(r"\s*UPDATE\s+OR\s+IGNORE\b", code, re.I):
        code = re.sub(r"\bUPDATE\s+OR\s+IGNORE\b", "UPDATE", code, count=1, flags=re.I)
        ignore_update = True
    conflict: str | None = None
    m = _INSERT_OR.search(code)
    if m is not None:
        replace = (m.group(1) or "REPLACE").upper() == "REPLACE"
        code = code[: m.start()] + "INSERT INTO" + code[m.end() :]
        conflict = _replace_clause(code, dict(keys)) if replace else "ON CONFLICT DO NOTHING"
    code = _nulls_like_sqlite(_qualify_update(_functions(code, lits)))
    code = _index_like_sqlite(code)
    if re.match(r"\s*(CREATE\s+TABLE|ALTER\s+TABLE)\b", code, re.IGNORECASE):
        # SQLite compares text byte by byte, whatever the server's locale
        code = re.sub(r"(?<!AS )\bTEXT\b", 'TEXT COLLATE "C"', code, flags=re.IGNORECASE)
    for pattern, new in _REWRITES:
        code = pattern.sub(new, code)
    if conflict is not None:
        code = _on_conflict(code, conflict)
    code = _placeholders(code)
    head = code.lstrip()[:10].upper()
    returns = head.startswith(("SELECT", "WITH", "VALUES")) or bool(_RETURNING.search(code))
    return Translation((_unmask(code, lits),), ignore_update, returns)
