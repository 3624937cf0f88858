#!/usr/bin/env python3
"""Checks that every SQL statement's `?` placeholders match its types string.

usage: check_sql.py [FILE.c ...]      (default: src/*.c)

Scans the C files for calls of db_query(d, SQL, TYPES, ...), db_run(d, SQL,
TYPES, ...) and db_int1(d, DFLT, SQL, TYPES, ...). Where SQL and TYPES are
string literals (adjacent literals joined, object-like #defines of literals in
the same file resolved, and calls inside function-like macros of the same file
checked at each use with the arguments put in), it counts the `?` outside
'...' strings, "..." identifiers and comments, as src/db.c does, and compares
with the number of type letters (i I t n; each binds one placeholder, 'n'
without taking an argument). Calls whose SQL or types are built at run time
are skipped and counted. Each mismatch is printed as file:line; the exit status
is 1 when there is one. db.c makes the same check when it prepares, so a call
this script cannot read still fails at once in the tests, with a message."""
import glob
import os
import re
import sys

CALLS = {"db_query": 1, "db_run": 1, "db_int1": 2}  # index of the SQL argument
TYPE_LETTERS = set("iItn")

TOKEN = re.compile(r"""
    (?P<ws>[ \t\r\f\v]+)
  | (?P<nl>\n)
  | (?P<comment>/\*.*?\*/|//[^\n]*)
  | (?P<string>(?:u8|u|U|L)?"(?:\\.|[^"\\\n])*")
  | (?P<char>(?:u8|u|U|L)?'(?:\\.|[^'\\\n])*')
  | (?P<ident>[A-Za-z_]\w*)
  | (?P<number>\.?\d(?:[eEpP][+-]|[\w.])*)
  | (?P<punct>->|\+\+|--|<<=|>>=|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%&|^!~<>=]=?|\#\#|[()\[\]{},;?:.#])
  | (?P<other>.)
""", re.S | re.X)


class Tok:
    __slots__ = ("kind", "text", "line")

    def __init__(self, kind, text, line):
        self.kind, self.text, self.line = kind, text, line

    def __repr__(self):
        return f"{self.kind}:{self.text}@{self.line}"


def lex(text, line=1):
    """Tokens without whitespace and comments."""
    out = []
    for m in TOKEN.finditer(text):
        kind = m.lastgroup
        s = m.group()
        if kind not in ("ws", "nl", "comment"):
            out.append(Tok(kind, s, line))
        line += s.count("\n")
    return out


def split_directives(src):
    """Returns (code with directive lines blanked, list of (line, directive text)).
    Line numbers stay those of the file."""
    lines = src.split("\n")
    code, directives = [], []
    i = 0
    in_comment = False
    while i < len(lines):
        ln = lines[i]
        if not in_comment and ln.lstrip().startswith("#"):
            start = i
            text = ln
            while text.endswith("\\") and i + 1 < len(lines):
                i += 1
                text = text[:-1] + " " + lines[i]
            directives.append((start + 1, text.lstrip()[1:].strip()))
            code.extend([""] * (i - start + 1))
        else:
            code.append(ln)
            # a directive-looking line inside a block comment is not one
            stripped = re.sub(r'"(?:\\.|[^"\\])*"', '""', ln)
            stripped = re.sub(r"//.*", "", stripped)
            opens, closes = stripped.rfind("/*"), stripped.rfind("*/")
            if opens > closes:
                in_comment = True
            elif closes >= 0:
                in_comment = False
        i += 1
    return "\n".join(code), directives


def parse_defines(directives):
    objects, functions = {}, {}
    for line, text in directives:
        m = re.match(r"define\s+([A-Za-z_]\w*)(\(([^)]*)\))?\s*(.*)$", text, re.S)
        if not m:
            continue
        name, params, body = m.group(1), m.group(3), m.group(4)
        toks = lex(body, line)
        for t in toks:
            t.line = line
        if m.group(2) is not None:
            functions[name] = ([p.strip() for p in params.split(",") if p.strip()], toks)
        else:
            objects[name] = toks
    return objects, functions


def split_args(toks, i):
    """toks[i] is '('. Returns (list of argument token lists, index after ')')."""
    depth, args, cur = 0, [], []
    j = i
    while j < len(toks):
        t = toks[j]
        if t.text in "([{" and t.kind == "punct":
            depth += 1
            if depth == 1:
                j += 1
                continue
        elif t.text in ")]}" and t.kind == "punct":
            depth -= 1
            if depth == 0:
                args.append(cur)
                return args, j + 1
        elif t.text == "," and depth == 1:
            args.append(cur)
            cur = []
            j += 1
            continue
        cur.append(t)
        j += 1
    return None, j


def expand_function_macros(toks, functions):
    """Replaces uses of the function-like macros that contain a db call by their
    bodies with the arguments put in, at the line of the use."""
    wanted = {n: f for n, f in functions.items() if any(t.kind == "ident" and t.text in CALLS for t in f[1])}
    if not wanted:
        return toks
    out, i = [], 0
    while i < len(toks):
        t = toks[i]
        if t.kind == "ident" and t.text in wanted and i + 1 < len(toks) and toks[i + 1].text == "(":
            params, body = wanted[t.text]
            args, after = split_args(toks, i + 1)
            if args is not None and (len(args) == len(params) or (not params and args == [[]])):
                bind = dict(zip(params, args))
                for b in body:
                    if b.kind == "ident" and b.text in bind:
                        out.extend(Tok(a.kind, a.text, t.line) for a in bind[b.text])
                    else:
                        out.append(Tok(b.kind, b.text, t.line))
                i = after
                continue
        out.append(t)
        i += 1
    return out


ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "\\": "\\", '"': '"', "'": "'", "?": "?", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


def literal_value(tok):
    s = tok.text[tok.text.index('"') + 1:-1]
    return re.sub(r"\\(x[0-9A-Fa-f]+|[0-7]{1,3}|.)",
                  lambda m: ESCAPES.get(m.group(1), "\x01") if len(m.group(1)) == 1 and not m.group(1).isdigit() else "\x01", s)


def string_of(arg, objects, depth=0):
    """The value of an argument made only of string literals and object-like
    macros that expand to them; None otherwise."""
    if not arg or depth > 20:
        return None
    parts = []
    for t in arg:
        if t.kind == "string":
            parts.append(literal_value(t))
        elif t.kind == "ident" and t.text in objects:
            v = string_of(objects[t.text], objects, depth + 1)
            if v is None:
                return None
            parts.append(v)
        elif t.kind == "punct" and t.text in "()" and len(arg) > 1:
            continue  # ("a" "b")
        else:
            return None
    return "".join(parts)


def count_placeholders(sql):
    """As db_count_placeholders() in src/db.c."""
    n, i, L = 0, 0, len(sql)
    while i < L:
        c = sql[i]
        if c in "'\"":
            j = sql.find(c, i + 1)
            i = L if j < 0 else j + 1
        elif sql.startswith("--", i):
            j = sql.find("\n", i)
            i = L if j < 0 else j
        elif sql.startswith("/*", i):
            j = sql.find("*/", i + 2)
            i = L if j < 0 else j + 2
        else:
            n += c == "?"
            i += 1
    return n


def is_definition(toks, i):
    """db_query( preceded by a type: the function's own declaration or definition."""
    if i == 0:
        return False
    p = toks[i - 1]
    if p.kind == "ident" and p.text != "return":
        return True
    return p.text == "*" and i >= 2 and toks[i - 2].kind == "ident" and toks[i - 2].text != "return"


def check_file(path, report):
    src = open(path, encoding="utf-8").read()
    code, directives = split_directives(src)
    objects, functions = parse_defines(directives)
    toks = expand_function_macros(lex(code), functions)
    checked = skipped = 0
    for i, t in enumerate(toks):
        if t.kind != "ident" or t.text not in CALLS or i + 1 >= len(toks) or toks[i + 1].text != "(":
            continue
        if is_definition(toks, i):
            continue
        args, _ = split_args(toks, i + 1)
        k = CALLS[t.text]
        if args is None or len(args) < k + 2:
            skipped += 1
            continue
        sql, types = string_of(args[k], objects), string_of(args[k + 1], objects)
        if sql is None or types is None:
            skipped += 1
            continue
        checked += 1
        bad = set(types) - TYPE_LETTERS
        nph = count_placeholders(sql)
        where = f"{path}:{t.line}"
        if bad:
            report(f"{where}: {t.text}: unknown parameter type letter(s) {''.join(sorted(bad))!r} in {types!r}")
        elif nph != len(types):
            report(f"{where}: {t.text}: {nph} placeholders but {len(types)} parameter types {types!r}: {' '.join(sql.split())[:160]}")
    return checked, skipped


def main():
    files = sys.argv[1:]
    if not files:
        files = [os.path.relpath(f) for f in sorted(glob.glob(os.path.join(os.path.dirname(__file__), "..", "src", "*.c")))]
    problems = []
    checked = skipped = 0
    for f in files:
        c, s = check_file(f, problems.append)
        checked += c
        skipped += s
    for p in problems:
        print(p)
    print(f"check_sql: {checked} statements checked, {skipped} skipped (SQL or types not literal), "
          f"{len(problems)} mismatch{'es' if len(problems) != 1 else ''}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
